package io.promptlightning.jinja;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** The result of {@code dict.keys()}, {@code values()} or {@code items()}: a list printed as {@code dict_keys([...])}. */
final class DictView extends AbstractList<Object> implements RandomAccess {
    final String kind;
    private final List<Object> items;

    DictView(String kind, List<Object> items) {
        this.kind = kind;
        this.items = items;
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
