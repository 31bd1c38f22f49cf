package io.promptlightning.jinja;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** An immutable Python tuple: prints as {@code (1, 'a')}, never equal to a list. */
final class PyTuple extends AbstractList<Object> implements RandomAccess {
    static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;
    /** Field names of a named tuple (groupby's {@code grouper}, {@code list}), or null. */
    private final String[] fieldNames;

    PyTuple(Object... items) {
        this.items = items;
        this.fieldNames = null;
    }

    private PyTuple(String[] fieldNames, Object[] items) {
        this.items = items;
        this.fieldNames = fieldNames;
    }

    /** A named tuple: prints like a plain tuple, and its fields are also attributes. */
    static PyTuple named(String[] fieldNames, Object... items) {
        return new PyTuple(fieldNames, items);
    }

    int fieldIndex(String name) {
        if (fieldNames != null) {
            for (int i = 0; i < fieldNames.length; i++) {
                if (fieldNames[i].equals(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    static PyTuple of(List<?> items) {
        return new PyTuple(items.toArray());
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyTuple && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
