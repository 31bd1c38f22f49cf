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
        // In BigInteger: start, stop and step may be any longs, and their differences overflow.
        java.math.BigInteger span = java.math.BigInteger.valueOf(stop).subtract(java.math.BigInteger.valueOf(start));
        java.math.BigInteger st = java.math.BigInteger.valueOf(step);
        java.math.BigInteger count = span.signum() == st.signum()
                ? span.add(st).subtract(java.math.BigInteger.valueOf(step > 0 ? 1 : -1)).divide(st)
                : java.math.BigInteger.ZERO;
        if (count.compareTo(java.math.BigInteger.valueOf(Integer.MAX_VALUE - 8)) > 0) {
            throw Errors.limit("range too large: " + count + " items");
        }
        long n = count.longValue();
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
