package io.promptlightning.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The differences between two lists of lines, printed in the unified format of {@code diff -u}.
 *
 * <p>The edit script is a shortest one (Myers' O(ND) algorithm in its linear-space form). Where several shortest
 * scripts exist, ties are decided as GNU diff decides them, so that the output is the one people know, line for
 * line: lines found on one side only are left out of the search, and afterwards each run of changed lines is
 * slid over lines equal to its own, joining neighbouring runs, as far down as it goes, then back up to the last
 * place where it faces a change on the other side (so that a removal and an insertion print as one
 * replacement). The one difference: amid long runs of changes, GNU diff also leaves out lines that occur many
 * times (blank lines, say), which is quicker but may give a longer script; here the script is always a shortest.
 */
public final class LineDiff {
    private LineDiff() {
    }

    /**
     * The unified diff of {@code from} and {@code to}: the {@code --- fromName} and {@code +++ toName} header,
     * then one {@code @@ -a,b +c,d @@} hunk per group of changes with {@code context} unchanged lines around
     * them. Every line of the result ends with a line break. Empty when the lists are equal.
     *
     * @param from lines without their line breaks
     * @param to   lines without their line breaks
     */
    public static String unified(String fromName, List<String> from, String toName, List<String> to, int context) {
        if (context < 0) {
            throw new IllegalArgumentException("context must not be negative: " + context);
        }
        if (from.equals(to)) {
            return "";
        }
        Script script = compare(from, to, context);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(fromName).append('\n');
        out.append("+++ ").append(toName).append('\n');
        List<Change> changes = script.changes();
        int first = 0;
        while (first < changes.size()) {
            // a hunk takes the following changes while the unchanged lines between them would overlap in context
            int last = first;
            while (last + 1 < changes.size()
                    && changes.get(last + 1).fromStart - changes.get(last).fromEnd <= 2 * context) {
                last++;
            }
            appendHunk(out, from, to, changes.subList(first, last + 1), context);
            first = last + 1;
        }
        return out.toString();
    }

    /** One run of removed lines {@code [fromStart, fromEnd)} and inserted lines {@code [toStart, toEnd)}. */
    private record Change(int fromStart, int fromEnd, int toStart, int toEnd) {
    }

    private static void appendHunk(StringBuilder out, List<String> from, List<String> to, List<Change> changes,
            int context) {
        Change head = changes.get(0);
        Change tail = changes.get(changes.size() - 1);
        int before = Math.min(context, head.fromStart);
        int after = Math.min(context, from.size() - tail.fromEnd);
        int fromStart = head.fromStart - before;
        int toStart = head.toStart - before;
        int fromEnd = tail.fromEnd + after;
        int toEnd = tail.toEnd + after;
        out.append("@@ -").append(range(fromStart, fromEnd - fromStart))
                .append(" +").append(range(toStart, toEnd - toStart)).append(" @@\n");
        int at = fromStart;
        for (Change c : changes) {
            for (; at < c.fromStart; at++) {
                out.append(' ').append(from.get(at)).append('\n');
            }
            for (int i = c.fromStart; i < c.fromEnd; i++) {
                out.append('-').append(from.get(i)).append('\n');
            }
            for (int j = c.toStart; j < c.toEnd; j++) {
                out.append('+').append(to.get(j)).append('\n');
            }
            at = c.fromEnd;
        }
        for (; at < fromEnd; at++) {
            out.append(' ').append(from.get(at)).append('\n');
        }
    }

    /**
     * A hunk's range as {@code diff -u} writes it: the first line (1-based) and the count, the count left out when
     * it is 1; an empty range names the line after which it sits.
     */
    private static String range(int start, int count) {
        if (count == 0) {
            return start + ",0";
        }
        return count == 1 ? Integer.toString(start + 1) : (start + 1) + "," + count;
    }

    // ------------------------------------------------------------------------------------------- the script

    /** Which lines of each side are not in the common subsequence. */
    private static final class Script {
        final int[] a;
        final int[] b;
        final boolean[] removed;
        final boolean[] inserted;

        Script(int[] a, int[] b) {
            this.a = a;
            this.b = b;
            this.removed = new boolean[a.length];
            this.inserted = new boolean[b.length];
        }

        List<Change> changes() {
            List<Change> changes = new ArrayList<>();
            int i = 0;
            int j = 0;
            while (i < a.length || j < b.length) {
                if ((i < a.length && removed[i]) || (j < b.length && inserted[j])) {
                    int fromStart = i;
                    int toStart = j;
                    while (i < a.length && removed[i]) {
                        i++;
                    }
                    while (j < b.length && inserted[j]) {
                        j++;
                    }
                    changes.add(new Change(fromStart, i, toStart, j));
                } else {
                    i++;
                    j++;
                }
            }
            return changes;
        }
    }

    /**
     * The script, with ties decided as GNU diff decides them. That includes how far runs may slide: GNU diff leaves
     * the lines both files start and end with out of its analysis, except the last (first) {@code horizon} of
     * them, the ones it prints as context.
     */
    private static Script compare(List<String> from, List<String> to, int horizon) {
        // lines become numbers, equal for equal lines, so that the search compares ints
        Map<String, Integer> codes = new HashMap<>();
        int[] a = new int[from.size()];
        int[] b = new int[to.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = codes.computeIfAbsent(from.get(i), k -> codes.size());
        }
        for (int j = 0; j < b.length; j++) {
            b[j] = codes.computeIfAbsent(to.get(j), k -> codes.size());
        }
        Script script = new Script(a, b);
        int prefix = 0;
        while (prefix < a.length && prefix < b.length && a[prefix] == b[prefix]) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.length - prefix && suffix < b.length - prefix
                && a[a.length - 1 - suffix] == b[b.length - 1 - suffix]) {
            suffix++;
        }
        int skipFront = Math.max(0, prefix - horizon);
        int skipBack = Math.max(0, suffix - horizon);
        int[] aPart = Arrays.copyOfRange(a, skipFront, a.length - skipBack);
        int[] bPart = Arrays.copyOfRange(b, skipFront, b.length - skipBack);
        boolean[] removed = new boolean[aPart.length];
        boolean[] inserted = new boolean[bPart.length];

        // A line that does not occur on the other side is changed in every script. Searching without such lines
        // is quicker, and it is what GNU diff does, which changes how ties between equally short scripts fall.
        int[] aKept = kept(aPart, bPart, removed);
        int[] bKept = kept(bPart, aPart, inserted);
        int[] aLines = select(aPart, aKept);
        int[] bLines = select(bPart, bKept);
        boolean[] aChanged = new boolean[aLines.length];
        boolean[] bChanged = new boolean[bLines.length];
        new Search(aLines, bLines, aChanged, bChanged).compare(0, aLines.length, 0, bLines.length);
        for (int i = 0; i < aKept.length; i++) {
            removed[aKept[i]] = aChanged[i];
        }
        for (int j = 0; j < bKept.length; j++) {
            inserted[bKept[j]] = bChanged[j];
        }
        slide(aPart, removed, inserted);
        slide(bPart, inserted, removed);
        System.arraycopy(removed, 0, script.removed, skipFront, removed.length);
        System.arraycopy(inserted, 0, script.inserted, skipFront, inserted.length);
        return script;
    }

    /** The indexes of the lines of {@code lines} that occur in {@code other}; the others are marked changed. */
    private static int[] kept(int[] lines, int[] other, boolean[] changed) {
        Set<Integer> present = new HashSet<>();
        for (int line : other) {
            present.add(line);
        }
        int[] kept = new int[lines.length];
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            if (present.contains(lines[i])) {
                kept[count++] = i;
            } else {
                changed[i] = true;
            }
        }
        return Arrays.copyOf(kept, count);
    }

    private static int[] select(int[] lines, int[] indexes) {
        int[] out = new int[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = lines[indexes[i]];
        }
        return out;
    }

    /**
     * Myers' search for a shortest edit script in linear space: paths grow from both corners of the edit graph,
     * one edit more per round, until a forward and a backward path reach the same diagonal; the meeting point
     * splits the problem in two. Diagonals are numbered {@code k = x - y} and confined to the rectangle.
     */
    private static final class Search {
        private final int[] a;
        private final int[] b;
        private final boolean[] aChanged;
        private final boolean[] bChanged;
        /** The furthest x reached on each diagonal, forwards and backwards (indexed from the lowest diagonal). */
        private final int[] forward;
        private final int[] backward;

        Search(int[] a, int[] b, boolean[] aChanged, boolean[] bChanged) {
            this.a = a;
            this.b = b;
            this.aChanged = aChanged;
            this.bChanged = bChanged;
            this.forward = new int[a.length + b.length + 3];
            this.backward = new int[a.length + b.length + 3];
        }

        /** Marks the changed lines of {@code a[aLo, aHi)} against {@code b[bLo, bHi)}. */
        void compare(int aLo, int aHi, int bLo, int bHi) {
            while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo]) {
                aLo++;
                bLo++;
            }
            while (aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1]) {
                aHi--;
                bHi--;
            }
            if (aLo == aHi) {
                Arrays.fill(bChanged, bLo, bHi, true);
                return;
            }
            if (bLo == bHi) {
                Arrays.fill(aChanged, aLo, aHi, true);
                return;
            }
            // both ranges are non-empty and differ at both ends, so at least two edits separate them and each
            // side of the meeting point needs fewer: the recursion ends
            long split = meetingPoint(aLo, aHi, bLo, bHi);
            int x = (int) (split >>> 32);
            int y = (int) split;
            compare(aLo, x, bLo, y);
            compare(x, aHi, y, bHi);
        }

        /** A point {@code (x, y)} on a shortest path through the rectangle, as {@code x << 32 | y}. */
        private long meetingPoint(int aLo, int aHi, int bLo, int bHi) {
            // diagonals in absolute coordinates: k = x - y, from aLo - bHi to aHi - bLo
            int kMin = aLo - bHi;
            int kMax = aHi - bLo;
            int forwardMid = aLo - bLo;
            int backwardMid = aHi - bHi;
            boolean odd = ((forwardMid - backwardMid) & 1) != 0;
            int shift = 1 - kMin; // diagonal k is at index k + shift; kMin - 1 and kMax + 1 hold sentinels
            forward[forwardMid + shift] = aLo;
            backward[backwardMid + shift] = aHi;
            int fMin = forwardMid;
            int fMax = forwardMid;
            int bMin = backwardMid;
            int bMax = backwardMid;
            while (true) {
                // one more edit forwards, on every diagonal the paths can reach
                if (fMin > kMin) {
                    forward[--fMin - 1 + shift] = -1;
                } else {
                    fMin++;
                }
                if (fMax < kMax) {
                    forward[++fMax + 1 + shift] = -1;
                } else {
                    fMax--;
                }
                for (int k = fMax; k >= fMin; k -= 2) {
                    int fromBelow = forward[k - 1 + shift];
                    int fromAbove = forward[k + 1 + shift];
                    int x = fromBelow < fromAbove ? fromAbove : fromBelow + 1;
                    int y = x - k;
                    while (x < aHi && y < bHi && a[x] == b[y]) {
                        x++;
                        y++;
                    }
                    forward[k + shift] = x;
                    if (odd && k >= bMin && k <= bMax && backward[k + shift] <= x) {
                        return (long) x << 32 | y;
                    }
                }
                // one more edit backwards
                if (bMin > kMin) {
                    backward[--bMin - 1 + shift] = Integer.MAX_VALUE;
                } else {
                    bMin++;
                }
                if (bMax < kMax) {
                    backward[++bMax + 1 + shift] = Integer.MAX_VALUE;
                } else {
                    bMax--;
                }
                for (int k = bMax; k >= bMin; k -= 2) {
                    int fromBelow = backward[k - 1 + shift];
                    int fromAbove = backward[k + 1 + shift];
                    int x = fromBelow < fromAbove ? fromBelow : fromAbove - 1;
                    int y = x - k;
                    while (x > aLo && y > bLo && a[x - 1] == b[y - 1]) {
                        x--;
                        y--;
                    }
                    backward[k + shift] = x;
                    if (!odd && k >= fMin && k <= fMax && x <= forward[k + shift]) {
                        return (long) x << 32 | y;
                    }
                }
            }
        }
    }

    /**
     * Chooses among equally short scripts for the runs of {@code changed} lines of {@code lines} (the other
     * side's runs, {@code otherChanged}, stay put). A run may move one line up when the line above it equals its
     * last line, or one line down when the line below it equals its first: the script stays as short. Each run
     * moves up as far as it can, absorbing runs it meets, then down as far as it can, again absorbing, until it
     * stops growing; then it goes back up to the lowest place where it faces a change on the other side, if it
     * passed one.
     */
    private static void slide(int[] lines, boolean[] changed, boolean[] otherChanged) {
        int n = lines.length;
        // where each unchanged line of the other side is: the k-th unchanged line here pairs with the k-th there
        int[] otherUnchanged = new int[otherChanged.length + 1];
        int count = 0;
        for (int j = 0; j < otherChanged.length; j++) {
            if (!otherChanged[j]) {
                otherUnchanged[count++] = j;
            }
        }
        otherUnchanged[count] = otherChanged.length;

        int start = 0;
        while (true) {
            while (start < n && !changed[start]) {
                start++;
            }
            if (start == n) {
                return;
            }
            int end = start;
            while (end < n && changed[end]) {
                end++;
            }
            int length;
            do {
                length = end - start;
                while (start > 0 && lines[start - 1] == lines[end - 1]) {
                    changed[--start] = true;
                    changed[--end] = false;
                    while (start > 0 && changed[start - 1]) {
                        start--;
                    }
                }
                while (end < n && lines[start] == lines[end]) {
                    changed[start++] = false;
                    changed[end++] = true;
                    while (end < n && changed[end]) {
                        end++;
                    }
                }
            } while (end - start != length);

            // the run now sits as low as it goes; look upwards, over the places it can take, for one facing a change
            int bottomStart = start;
            int bottomEnd = end;
            int unchangedBefore = countUnchanged(changed, start);
            while (!facesChange(unchangedBefore, otherUnchanged, otherChanged)) {
                if (start == 0 || changed[start - 1] || lines[start - 1] != lines[end - 1]) {
                    start = bottomStart;
                    end = bottomEnd;
                    break;
                }
                start--;
                end--;
                unchangedBefore--;
            }
            if (start != bottomStart) {
                Arrays.fill(changed, bottomStart, bottomEnd, false);
                Arrays.fill(changed, start, end, true);
            }
            start = end;
        }
    }

    private static int countUnchanged(boolean[] changed, int end) {
        int count = 0;
        for (int i = 0; i < end; i++) {
            if (!changed[i]) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whether a run followed by the unchanged line numbered {@code unchangedBefore} (counting unchanged lines from
     * 0) sits right after a changed line of the other side.
     */
    private static boolean facesChange(int unchangedBefore, int[] otherUnchanged, boolean[] otherChanged) {
        int there = otherUnchanged[unchangedBefore];
        return there > 0 && otherChanged[there - 1];
    }
}
