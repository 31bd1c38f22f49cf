package io.promptlightning.jinja;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the free variables of a template: names read before (or without) being assigned in an enclosing
 * scope, and that are not environment globals. Mirrors Jinja2's {@code meta.find_undeclared_variables}.
 */
final class Analysis {
    private final Deque<Set<String>> scopes = new ArrayDeque<>();
    private final Set<String> globals;
    final Set<String> undeclared = new LinkedHashSet<>();
    /** Every name read anywhere, declared or not: macros use it to see if they touch caller/varargs/kwargs. */
    final Set<String> allReads = new HashSet<>();

    Analysis(Set<String> globals) {
        this.globals = globals;
        scopes.push(new HashSet<>());
    }

    void read(String name) {
        allReads.add(name);
        for (Set<String> scope : scopes) {
            if (scope.contains(name)) {
                return;
            }
        }
        if (!globals.contains(name)) {
            undeclared.add(name);
        }
    }

    void declare(String name) {
        scopes.peek().add(name);
    }

    void push() {
        scopes.push(new HashSet<>());
    }

    void pop() {
        scopes.pop();
    }
}
