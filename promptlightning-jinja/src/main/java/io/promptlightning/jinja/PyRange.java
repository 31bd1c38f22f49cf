package io.promptlightning.jinja;

import java.util.AbstractList;
import java.util.RandomAccess;

/** Python's {@code range}: a lazy list of longs, printed as {@code range(0, 3)}. */
final class PyRange extends AbstractList<Object> implements RandomAccess {
    final long start;
    final long stop;
    final long step;
    private final int size;

    PyRange(long start, long stop, long step) {
        if (step == 0) {
            throw Errors.valueError("range() arg 3 must not be zero");
        }
        this.start = start;
        this.stop = stop;
        this.step = step;
        long n;
        if (step > 0) {
            n = start < stop ? (stop - start + step - 1) / step : 0;
        } else {
            n = start > stop ? (start - stop - step - 1) / -step : 0;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw Errors.limit("range too large: " + n + " items");
        }
        this.size = (int) n;
    }

    @Override
    public Object get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return start + step * index;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyRange && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public String toString() {
        return step == 1 ? "range(" + start + ", " + stop + ")" : "range(" + start + ", " + stop + ", " + step + ")";
    }
}
