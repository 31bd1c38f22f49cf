package io.promptlightning.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's printf-style ({@code str % args}) and {@code str.format} formatting, with CPython 3.11's output
 * and error messages. Floats are written from their exact binary value, rounding ties to even as CPython's
 * dtoa does ({@code '%.2f' % 2.675} is {@code 2.67}); Java's formatter rounds differently and is not used.
 *
 * <p>Python exceptions that have no {@link TemplateRuntimeException.Kind} of their own are reported as
 * ValueError: KeyError and IndexError (with Python's {@code str()} of the exception, e.g. {@code 'name'}),
 * AttributeError and OverflowError.
 */
final class PyFormat {
    private PyFormat() {
    }

    /**
     * Most padding characters (or float digits) one field may ask for. Python would allocate whatever a
     * template asks for; we refuse, so {@code '%999999999d'} cannot exhaust memory.
     */
    private static final long MAX_PADDING = 10_000_000;

    /** The format spec type of a float formatted without a type letter (str()-like). */
    private static final int NO_TYPE = 0;

    private static final Object MISSING = new Object();

    // ================================================================== str % args

    /**
     * Python's {@code format % args}: {@code args} is a {@link PyTuple} of values, a mapping (for
     * {@code %(key)s}), or any other single value.
     */
    static String percent(String format, Object args) {
        return new Percent(format, args).run();
    }

    /** Flags, width and precision of one {@code %} conversion. */
    private static final class PercentSpec {
        boolean left;
        boolean plus;
        boolean space;
        boolean alt;
        boolean zero;
        long width = -1;
        int precision = -1;
    }

    /** One evaluation of {@code format % args}: a cursor over the format and the values left to consume. */
    private static final class Percent {
        private final String format;
        private final Object mapping;
        private final StringBuilder out;
        private int pos;
        // Values come from a tuple in order, or else from one value: args itself or, after a %(key), the
        // value looked up (CPython then treats that value as the only remaining argument).
        private List<?> tuple;
        private int tupleIndex;
        private Object single;
        private boolean singleUsed;

        Percent(String format, Object args) {
            this.format = format;
            this.mapping = isMapping(args) ? args : null;
            this.out = new StringBuilder(format.length() + 16);
            if (args instanceof PyTuple) {
                tuple = (PyTuple) args;
            } else {
                single = args;
            }
        }

        String run() {
            int n = format.length();
            while (pos < n) {
                int percent = format.indexOf('%', pos);
                if (percent < 0) {
                    out.append(format, pos, n);
                    break;
                }
                out.append(format, pos, percent);
                pos = percent + 1;
                conversion();
            }
            boolean unused = tuple != null ? tupleIndex < tuple.size() : !singleUsed;
            // A mapping may legitimately go unused, like Python's '%(a)s' % {'a': 1, 'b': 2}.
            if (unused && mapping == null) {
                throw Errors.typeError("not all arguments converted during string formatting");
            }
            return out.toString();
        }

        private void conversion() {
            if (peek() == '%') {
                pos++;
                out.append('%');
                return;
            }
            if (peek() == '(') {
                takeKeyedValue();
            }
            PercentSpec spec = new PercentSpec();
            readFlags(spec);
            readWidth(spec);
            readPrecision(spec);
            if (peek() == 'h' || peek() == 'l' || peek() == 'L') {
                pos++; // C's length modifiers are accepted and mean nothing
            }
            if (pos >= format.length()) {
                throw Errors.valueError("incomplete format");
            }
            int typeIndex = pos;
            int type = format.codePointAt(pos);
            pos += Character.charCount(type);
            // Python fetches the argument before it looks at the conversion letter, so '%q' % () complains
            // about the missing argument.
            Object value = nextArg();
            out.append(convert(spec, type, value, typeIndex));
        }

        private int peek() {
            return pos < format.length() ? format.charAt(pos) : -1;
        }

        private Object nextArg() {
            if (tuple != null) {
                if (tupleIndex < tuple.size()) {
                    return tuple.get(tupleIndex++);
                }
            } else if (!singleUsed) {
                singleUsed = true;
                return single;
            }
            throw Errors.typeError("not enough arguments for format string");
        }

        private void takeKeyedValue() {
            if (mapping == null) {
                throw Errors.typeError("format requires a mapping");
            }
            int start = ++pos;
            for (int depth = 1; depth > 0; ) { // the key may contain balanced parentheses
                if (pos >= format.length()) {
                    throw Errors.valueError("incomplete format key");
                }
                char c = format.charAt(pos++);
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            tuple = null;
            single = itemByKey(mapping, format.substring(start, pos - 1));
            singleUsed = false;
        }

        private void readFlags(PercentSpec spec) {
            for (;; pos++) {
                switch (peek()) {
                    case '-': spec.left = true; break;
                    case '+': spec.plus = true; break;
                    case ' ': spec.space = true; break;
                    case '#': spec.alt = true; break;
                    case '0': spec.zero = true; break;
                    default: return;
                }
            }
        }

        private void readWidth(PercentSpec spec) {
            if (peek() == '*') {
                pos++;
                long width = starArgument(nextArg(), -Long.MAX_VALUE, Long.MAX_VALUE, "C ssize_t");
                spec.left |= width < 0;
                spec.width = Math.abs(width);
            } else if (peek() >= '0' && peek() <= '9') {
                spec.width = readNumber(Long.MAX_VALUE, "width too big");
            }
        }

        private void readPrecision(PercentSpec spec) {
            if (peek() != '.') {
                return;
            }
            pos++;
            if (peek() == '*') {
                pos++;
                long precision = starArgument(nextArg(), Integer.MIN_VALUE, Integer.MAX_VALUE, "C int");
                spec.precision = (int) Math.max(precision, 0);
            } else {
                spec.precision = (int) readNumber(Integer.MAX_VALUE, "precision too big");
            }
        }

        private long readNumber(long max, String tooBig) {
            long value = 0;
            while (peek() >= '0' && peek() <= '9') {
                int digit = format.charAt(pos++) - '0';
                if (value > (max - digit) / 10) {
                    throw Errors.valueError(tooBig);
                }
                value = value * 10 + digit;
            }
            return value;
        }

        private String convert(PercentSpec spec, int type, Object value, int typeIndex) {
            switch (type) {
                case 's':
                    return padPercent(spec, false, "", "", truncate(Py.str(value), spec.precision));
                case 'r':
                    return padPercent(spec, false, "", "", truncate(Py.repr(value), spec.precision));
                case 'a':
                    return padPercent(spec, false, "", "", truncate(ascii(Py.repr(value)), spec.precision));
                case 'c':
                    return padPercent(spec, false, "", "", percentChar(value));
                case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
                    return percentInteger(spec, (char) type, value);
                case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
                    return percentFloat(spec, (char) type, value);
                default:
                    char shown = type >= 31 && type <= 126 ? (char) type : '?';
                    throw Errors.valueError("unsupported format character '" + shown + "' (0x"
                            + Integer.toHexString(type) + ") at index " + format.codePointCount(0, typeIndex));
            }
        }
    }

    /** Python's test for "args is a mapping": the value supports lookup by a str key (dict, list, range...). */
    private static boolean isMapping(Object args) {
        return args instanceof Map || args instanceof Undefined
                || (args instanceof List && !(args instanceof PyTuple) && !(args instanceof DictView));
    }

    /** The int a {@code *} width or precision takes from the arguments. */
    private static long starArgument(Object value, long min, long max, String cType) {
        if (!Py.isIntLike(value)) {
            throw Errors.typeError("* wants int");
        }
        BigInteger n = Py.asBig(value);
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw overflow("Python int too large to convert to " + cType);
        }
        return n.longValue();
    }

    private static String percentInteger(PercentSpec spec, char type, Object value) {
        BigInteger n = percentIntegerValue(type, value);
        int radix = type == 'o' ? 8 : type == 'x' || type == 'X' ? 16 : 10;
        String digits = n.abs().toString(radix);
        if (type == 'X') {
            digits = digits.toUpperCase(Locale.ROOT);
        }
        if (spec.precision > digits.length()) {
            digits = repeat('0', spec.precision - digits.length()) + digits;
        }
        String prefix = spec.alt && radix != 10 ? "0" + type : "";
        return padPercent(spec, true, n.signum() < 0 ? "-" : "", prefix, digits);
    }

    /** {@code %d}-style conversions truncate floats; {@code %x}, {@code %X} and {@code %o} want a true int. */
    private static BigInteger percentIntegerValue(char type, Object value) {
        if (Py.isIntLike(value)) {
            return Py.asBig(value);
        }
        boolean exact = type == 'o' || type == 'x' || type == 'X';
        if (!exact && value instanceof Undefined) {
            throw ((Undefined) value).error(); // Jinja2's Undefined raises from __int__
        }
        if (!exact && Py.isFloat(value)) {
            return truncateFloat(Py.asDouble(value));
        }
        throw Errors.typeError("%" + type + " format: " + (exact ? "an integer" : "a real number")
                + " is required, not " + Py.typeName(value));
    }

    private static BigInteger truncateFloat(double x) {
        if (Double.isNaN(x)) {
            throw Errors.valueError("cannot convert float NaN to integer");
        }
        if (Double.isInfinite(x)) {
            throw overflow("cannot convert float infinity to integer");
        }
        return new BigDecimal(x).toBigInteger();
    }

    private static String percentFloat(PercentSpec spec, char type, Object value) {
        double x = realNumber(value);
        char kind = Character.toLowerCase(type);
        String text = magnitude(Math.abs(x), kind, spec.precision < 0 ? 6 : spec.precision, spec.alt, false);
        if (kind != type) {
            text = text.toUpperCase(Locale.ROOT);
        }
        return padPercent(spec, true, isNegative(x) ? "-" : "", "", text);
    }

    private static String percentChar(Object value) {
        if (Py.isString(value)) {
            String s = value.toString();
            if (codePoints(s) == 1) {
                return s;
            }
        } else if (Py.isIntLike(value)) {
            return character(Py.asBig(value));
        }
        throw Errors.typeError("%c requires int or char");
    }

    /**
     * Pads one {@code %} conversion to its width. Numbers get their sign (explicit or from the {@code +} and
     * space flags) and {@code 0x}/{@code 0o} prefix ahead of any zero padding; other values pad with spaces.
     */
    private static String padPercent(PercentSpec spec, boolean numeric, String sign, String prefix, String body) {
        if (numeric && sign.isEmpty()) {
            sign = spec.plus ? "+" : spec.space ? " " : "";
        }
        long padding = spec.width - (sign.length() + prefix.length() + codePoints(body));
        if (padding <= 0) {
            return sign + prefix + body;
        }
        if (spec.left) {
            return sign + prefix + body + repeat(' ', padding);
        }
        if (numeric && spec.zero) {
            return sign + prefix + repeat('0', padding) + body;
        }
        return repeat(' ', padding) + sign + prefix + body;
    }

    // ================================================================== str.format

    /**
     * Python's {@code format.format(*args, **kwargs)}. Field names may use {@code .name} (a Map's key, a
     * namespace's attribute) and {@code [key]} / {@code [0]} (items of Maps, lists and strings).
     */
    static String strFormat(String format, List<Object> args, Map<String, Object> kwargs) {
        return new StrFormat(args, kwargs).render(format, StrFormat.MAX_NESTING);
    }

    /** A parsed replacement field: {@code {name!conversion:spec}}; {@code end} is the index after its '}'. */
    private record Field(String name, int conversion, String spec, boolean specHasFields, int end) {
    }

    /** One {@code str.format} call: its arguments and the field numbering state shared by nested specs. */
    private static final class StrFormat {
        /** CPython expands replacement fields inside a format spec, but not inside those. */
        static final int MAX_NESTING = 2;

        private final List<Object> args;
        private final Map<String, Object> kwargs;
        private Boolean automatic; // set by the first numeric field: {} numbers automatically, {0} manually
        private int nextIndex;

        StrFormat(List<Object> args, Map<String, Object> kwargs) {
            this.args = args;
            this.kwargs = kwargs;
        }

        String render(String format, int depth) {
            if (depth <= 0) {
                throw Errors.valueError("Max string recursion exceeded");
            }
            StringBuilder out = new StringBuilder(format.length() + 16);
            int n = format.length();
            int i = 0;
            while (i < n) {
                char c = format.charAt(i);
                if (c != '{' && c != '}') {
                    int next = nextBrace(format, i);
                    out.append(format, i, next);
                    i = next;
                } else if (i + 1 < n && format.charAt(i + 1) == c) {
                    out.append(c);
                    i += 2;
                } else if (c == '}') {
                    throw Errors.valueError("Single '}' encountered in format string");
                } else if (i + 1 == n) {
                    throw Errors.valueError("Single '{' encountered in format string");
                } else {
                    Field field = parseField(format, i + 1);
                    out.append(replace(field, depth));
                    i = field.end();
                }
            }
            return out.toString();
        }

        private String replace(Field field, int depth) {
            Object value = lookUp(field.name());
            if (field.conversion() != 0) {
                value = convertField(value, field.conversion());
            }
            String spec = field.specHasFields() ? render(field.spec(), depth - 1) : field.spec();
            return formatValue(value, spec);
        }

        /** The value a field name designates: {@code 0}, {@code name} or empty (automatic), then a path. */
        private Object lookUp(String name) {
            int cut = 0;
            while (cut < name.length() && name.charAt(cut) != '.' && name.charAt(cut) != '[') {
                cut++;
            }
            String first = name.substring(0, cut);
            long index = decimalIndex(first);
            Object value;
            if (index >= 0 || first.isEmpty()) {
                value = positional(index);
            } else if (kwargs.containsKey(first)) {
                value = kwargs.get(first);
            } else {
                throw Errors.valueError(Py.repr(first)); // KeyError
            }
            return followPath(value, name, cut);
        }

        /** The positional argument at {@code index}, or the next one when {@code index} is -1. */
        private Object positional(long index) {
            boolean auto = index < 0;
            if (automatic == null) {
                automatic = auto;
            } else if (automatic != auto) {
                throw Errors.valueError(auto
                        ? "cannot switch from manual field specification to automatic field numbering"
                        : "cannot switch from automatic field numbering to manual field specification");
            }
            if (auto) {
                index = nextIndex++;
            }
            if (index >= args.size()) {
                throw Errors.valueError("Replacement index " + index + " out of range for positional args tuple");
            }
            return args.get((int) index);
        }
    }

    private static int nextBrace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' || c == '}') {
                return i;
            }
        }
        return s.length();
    }

    /** Parses the field starting just after its '{': name, then optional {@code !c} and {@code :spec}. */
    private static Field parseField(String format, int start) {
        int n = format.length();
        int i = start;
        char stop = 0;
        while (i < n && stop == 0) {
            char c = format.charAt(i++);
            if (c == '{') {
                throw Errors.valueError("unexpected '{' in field name");
            } else if (c == '[') {
                int close = format.indexOf(']', i); // anything goes inside brackets, even ':' and '}'
                i = close < 0 ? n : close;
            } else if (c == '}' || c == ':' || c == '!') {
                stop = c;
            }
        }
        if (stop == 0) {
            throw Errors.valueError("expected '}' before end of string");
        }
        String name = format.substring(start, i - 1);
        if (stop == '}') {
            return new Field(name, 0, "", false, i);
        }
        int conversion = 0;
        if (stop == '!') {
            if (i >= n) {
                throw Errors.valueError("end of string while looking for conversion specifier");
            }
            conversion = format.codePointAt(i);
            i += Character.charCount(conversion);
            if (i < n) {
                char c = format.charAt(i++);
                if (c == '}') {
                    return new Field(name, conversion, "", false, i);
                }
                if (c != ':') {
                    throw Errors.valueError("expected ':' after conversion specifier");
                }
            }
        }
        return parseSpec(format, name, conversion, i);
    }

    /** The format spec runs to the '}' that balances the field's '{'; nested braces are fields. */
    private static Field parseSpec(String format, String name, int conversion, int start) {
        boolean hasFields = false;
        int depth = 1;
        for (int i = start; i < format.length(); ) {
            char c = format.charAt(i++);
            if (c == '{') {
                hasFields = true;
                depth++;
            } else if (c == '}' && --depth == 0) {
                return new Field(name, conversion, format.substring(start, i - 1), hasFields, i);
            }
        }
        throw Errors.valueError("unmatched '{' in format spec");
    }

    /** Applies the {@code .attr} and {@code [key]} steps of a field name, from {@code pos} on. */
    private static Object followPath(Object value, String name, int pos) {
        int n = name.length();
        while (pos < n) {
            char c = name.charAt(pos++);
            int end;
            if (c == '.') {
                end = pos;
                while (end < n && name.charAt(end) != '.' && name.charAt(end) != '[') {
                    end++;
                }
            } else if (c == '[') {
                end = name.indexOf(']', pos);
                if (end < 0) {
                    throw Errors.valueError("Missing ']' in format string");
                }
            } else {
                throw Errors.valueError("Only '.' or '[' may follow ']' in format field specifier");
            }
            String part = name.substring(pos, end);
            long index = c == '[' ? decimalIndex(part) : -1;
            if (part.isEmpty()) {
                throw Errors.valueError("Empty attribute in format string");
            }
            value = c == '.' ? attribute(value, part) : index >= 0 ? item(value, index) : itemByKey(value, part);
            pos = c == '[' ? end + 1 : end;
        }
        return value;
    }

    /**
     * {@code value.name}. A Map stands for an object whose attributes are its keys (Python would only look
     * at a dict's real attributes); a namespace exposes its attributes; nothing else has any.
     */
    private static Object attribute(Object value, String name) {
        if (value instanceof Undefined) {
            throw ((Undefined) value).error();
        }
        Object found = MISSING;
        if (value instanceof Map) {
            found = mapGet((Map<?, ?>) value, name);
        } else if (value instanceof Namespace && ((Namespace) value).attributes.containsKey(name)) {
            found = ((Namespace) value).attributes.get(name);
        }
        if (found != MISSING) {
            return found;
        }
        if (value instanceof Namespace) {
            throw Errors.valueError(name); // Namespace raises AttributeError(name)
        }
        throw Errors.valueError("'" + Py.typeName(value) + "' object has no attribute '" + name + "'");
    }

    /** {@code value[index]} for a non-negative index, which field names only ever write as digits. */
    private static Object item(Object value, long index) {
        if (value instanceof Undefined) {
            throw ((Undefined) value).error();
        }
        if (Py.isString(value)) {
            String s = value.toString();
            if (index >= codePoints(s)) {
                throw Errors.valueError("string index out of range");
            }
            int at = s.offsetByCodePoints(0, (int) index);
            String ch = s.substring(at, s.offsetByCodePoints(at, 1));
            return value instanceof Markup ? new Markup(ch) : ch;
        }
        if (isSequence(value)) {
            List<?> list = (List<?>) value;
            if (index >= list.size()) {
                String what = value instanceof PyRange ? "range object" : Py.typeName(value);
                throw Errors.valueError(what + " index out of range");
            }
            return list.get((int) index);
        }
        if (value instanceof Map) {
            Object found = mapGet((Map<?, ?>) value, index);
            if (found == MISSING) {
                throw Errors.valueError(Long.toString(index)); // KeyError
            }
            return found;
        }
        throw notSubscriptable(value);
    }

    /** {@code value['key']}: Python's subscription with a str. */
    private static Object itemByKey(Object value, String key) {
        if (value instanceof Undefined) {
            throw ((Undefined) value).error();
        }
        if (value instanceof Map) {
            Object found = mapGet((Map<?, ?>) value, key);
            if (found == MISSING) {
                throw Errors.valueError(Py.repr(key)); // KeyError
            }
            return found;
        }
        if (Py.isString(value)) {
            throw Errors.typeError("string indices must be integers, not 'str'");
        }
        if (isSequence(value)) {
            throw Errors.typeError(Py.typeName(value) + " indices must be integers or slices, not str");
        }
        throw notSubscriptable(value);
    }

    /** Lists, tuples and ranges index by position; a dict view cannot be indexed at all. */
    private static boolean isSequence(Object value) {
        return value instanceof List && !(value instanceof DictView);
    }

    private static TemplateRuntimeException notSubscriptable(Object value) {
        return Errors.typeError("'" + Py.typeName(value) + "' object is not subscriptable");
    }

    /** A dict lookup with Python's key equality (1 finds 1.0 and True); {@link #MISSING} when absent. */
    private static Object mapGet(Map<?, ?> map, Object key) {
        if (map.containsKey(key)) {
            return map.get(key);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (Py.eq(e.getKey(), key)) {
                return e.getValue();
            }
        }
        return MISSING;
    }

    private static Object convertField(Object value, int conversion) {
        switch (conversion) {
            case 's':
                return Py.str(value);
            case 'r':
                return Py.repr(value);
            case 'a':
                return ascii(Py.repr(value));
            default:
                throw Errors.valueError("Unknown conversion specifier " + (conversion > 32 && conversion < 127
                        ? String.valueOf((char) conversion) : "\\x" + Integer.toHexString(conversion)));
        }
    }

    /**
     * A field name part written with decimal digits (any script's, as in Python) as a number; -1 for
     * anything else, including the empty string.
     */
    private static long decimalIndex(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int digit = decimalDigit(cp);
            if (digit < 0) {
                return -1;
            }
            value = accumulate(value, digit);
        }
        return value;
    }

    private static int decimalDigit(int cp) {
        return Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER ? Character.digit(cp, 10) : -1;
    }

    private static long accumulate(long value, int digit) {
        if (value > (Long.MAX_VALUE - digit) / 10) {
            throw Errors.valueError("Too many decimal digits in format string");
        }
        return value * 10 + digit;
    }

    // ================================================================== format(value, spec)

    /** Python's {@code format(value, spec)} for the values a template holds. */
    private static String formatValue(Object value, String spec) {
        if (Py.isString(value)) {
            return spec.isEmpty() ? value.toString() : formatString(value, spec);
        }
        // An empty spec means str(value), so True stays "True"; any other spec formats a bool as its int.
        if (spec.isEmpty()) {
            return Py.str(value);
        }
        if (Py.isIntLike(value)) {
            return formatInteger(value, FormatSpec.parse(spec, 'd', '>', Py.typeName(value)));
        }
        if (Py.isFloat(value)) {
            return formatFloat(Py.asDouble(value), FormatSpec.parse(spec, NO_TYPE, '>', "float"));
        }
        throw Errors.typeError("unsupported format string passed to " + Py.typeName(value) + ".__format__");
    }

    /** A parsed format spec: {@code [[fill]align][sign][z][#][0][width][,|_][.precision][type]}. */
    private static final class FormatSpec {
        int fill = ' ';
        char align;
        char sign;
        boolean noNegativeZero;
        boolean alt;
        long width;
        char separator;
        int groupSize;
        long precision = -1;
        int type;

        private final String text;
        private int pos; // parse position in text

        private FormatSpec(String text, int defaultType, char defaultAlign) {
            this.text = text;
            this.type = defaultType;
            this.align = defaultAlign;
        }

        /** Parses a non-empty spec; the defaults depend on the value's type, named in error messages. */
        static FormatSpec parse(String text, int defaultType, char defaultAlign, String typeName) {
            FormatSpec spec = new FormatSpec(text, defaultType, defaultAlign);
            boolean fillGiven = spec.readFillAndAlign();
            boolean alignGiven = spec.pos > 0;
            if (spec.pos < text.length() && "+- ".indexOf(text.charAt(spec.pos)) >= 0) {
                spec.sign = text.charAt(spec.pos++);
            }
            spec.noNegativeZero = spec.skip('z');
            spec.alt = spec.skip('#');
            // '0' before the width means zero padding, put between sign and digits unless aligned otherwise
            if (!fillGiven && spec.skip('0')) {
                spec.fill = '0';
                if (!alignGiven && defaultAlign == '>') {
                    spec.align = '=';
                }
            }
            spec.width = spec.readNumber();
            spec.readSeparator();
            if (spec.skip('.')) {
                spec.precision = spec.readNumber();
                if (spec.precision < 0) {
                    throw Errors.valueError("Format specifier missing precision");
                }
            }
            spec.readType(typeName);
            spec.checkSeparator();
            return spec;
        }

        /** Reads {@code [[fill]align]}; returns whether a fill character was given. */
        private boolean readFillAndAlign() {
            int first = text.codePointAt(0);
            int second = Character.charCount(first);
            if (second < text.length() && isAlign(text.charAt(second))) {
                fill = first;
                align = text.charAt(second);
                pos = second + 1;
                return true;
            }
            if (isAlign(first)) {
                align = (char) first;
                pos = 1;
            }
            return false;
        }

        private static boolean isAlign(int c) {
            return c == '<' || c == '>' || c == '=' || c == '^';
        }

        private boolean skip(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        /** Reads decimal digits (any script's, as Python accepts); -1 when there are none. */
        private long readNumber() {
            int start = pos;
            long value = 0;
            while (pos < text.length()) {
                int cp = text.codePointAt(pos);
                int digit = decimalDigit(cp);
                if (digit < 0) {
                    break;
                }
                value = accumulate(value, digit);
                pos += Character.charCount(cp);
            }
            return pos == start ? -1 : value;
        }

        private void readSeparator() {
            if (skip(',')) {
                separator = ',';
            }
            if (skip('_')) {
                if (separator != 0) {
                    throw Errors.valueError("Cannot specify both ',' and '_'.");
                }
                separator = '_';
            }
            if (separator == '_' && pos < text.length() && text.charAt(pos) == ',') {
                throw Errors.valueError("Cannot specify both ',' and '_'.");
            }
        }

        private void readType(String typeName) {
            int rest = text.codePointCount(pos, text.length());
            if (rest > 1) {
                throw Errors.valueError("Invalid format specifier '" + text + "' for object of type '" + typeName + "'");
            }
            if (rest == 1) {
                type = text.codePointAt(pos);
            }
        }

        /** Thousands separators suit decimal types; '_' also groups binary, octal and hex digits by four. */
        private void checkSeparator() {
            if (separator == 0) {
                return;
            }
            switch (type) {
                case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case NO_TYPE:
                    groupSize = 3;
                    return;
                case 'b': case 'o': case 'x': case 'X':
                    if (separator == '_') {
                        groupSize = 4;
                        return;
                    }
                    break;
                default:
                    break;
            }
            throw Errors.valueError("Cannot specify '" + separator + "' with " + quoteCode(type) + ".");
        }
    }

    private static String formatString(Object value, String specText) {
        FormatSpec spec = FormatSpec.parse(specText, 's', '<', Py.typeName(value));
        if (spec.type != 's') {
            throw unknownCode(spec.type, Py.typeName(value));
        }
        if (spec.sign != 0) {
            throw Errors.valueError(spec.sign == ' ' ? "Space not allowed in string format specifier"
                    : "Sign not allowed in string format specifier");
        }
        if (spec.noNegativeZero) {
            throw Errors.valueError("Negative zero coercion (z) not allowed in string format specifier");
        }
        if (spec.alt) {
            throw Errors.valueError("Alternate form (#) not allowed in string format specifier");
        }
        if (spec.align == '=') {
            throw Errors.valueError("'=' alignment not allowed in string format specifier");
        }
        String s = truncate(value.toString(), spec.precision);
        return align(spec, "", s, spec.width - codePoints(s));
    }

    private static String formatInteger(Object value, FormatSpec spec) {
        switch (spec.type) {
            case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
                break;
            case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
                return formatFloat(intToDouble(Py.asBig(value)), spec);
            default:
                throw unknownCode(spec.type, Py.typeName(value));
        }
        if (spec.precision >= 0) {
            throw Errors.valueError("Precision not allowed in integer format specifier");
        }
        if (spec.noNegativeZero) {
            throw Errors.valueError("Negative zero coercion (z) not allowed in integer format specifier");
        }
        BigInteger n = Py.asBig(value);
        if (spec.type == 'c') {
            return formatCharacter(n, spec);
        }
        int radix = spec.type == 'b' ? 2 : spec.type == 'o' ? 8 : spec.type == 'x' || spec.type == 'X' ? 16 : 10;
        String digits = n.abs().toString(radix);
        if (spec.type == 'X') {
            digits = digits.toUpperCase(Locale.ROOT);
        }
        String prefix = spec.alt && radix != 10 ? "0" + (char) spec.type : ""; // 0b 0o 0x 0X
        return layoutNumber(spec, n.signum() < 0, prefix, digits, false, "");
    }

    private static String formatCharacter(BigInteger n, FormatSpec spec) {
        if (spec.sign != 0) {
            throw Errors.valueError("Sign not allowed with integer format specifier 'c'");
        }
        if (spec.alt) {
            throw Errors.valueError("Alternate form (#) not allowed with integer format specifier 'c'");
        }
        if (n.bitLength() > 63) {
            throw overflow("Python int too large to convert to C long");
        }
        return layoutNumber(spec, false, "", "", false, character(n));
    }

    private static String formatFloat(double x, FormatSpec spec) {
        int type = spec.type;
        switch (type) {
            case NO_TYPE: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
                break;
            default:
                throw unknownCode(type, "float");
        }
        if (spec.precision > Integer.MAX_VALUE) {
            throw Errors.valueError("precision too big");
        }
        int precision = (int) spec.precision;
        // No type letter means str()-like: repr's digits, or 'g' that keeps a ".0" and turns to exponent
        // notation one digit earlier when a precision is given.
        boolean strLike = type == NO_TYPE;
        char kind = strLike ? (precision < 0 ? 'r' : 'g') : type == 'n' ? 'g' : type == '%' ? 'f' : (char) type;
        double scaled = type == '%' ? x * 100 : x;
        String text = magnitude(Math.abs(scaled), Character.toLowerCase(kind), precision < 0 ? 6 : precision,
                spec.alt, strLike);
        if (Character.isUpperCase(kind)) {
            text = text.toUpperCase(Locale.ROOT);
        }
        boolean negative = isNegative(scaled)
                && !(spec.noNegativeZero && Double.isFinite(scaled) && hasOnlyZeroDigits(text));
        if (type == '%') {
            text += '%';
        }
        // Only the digits before the point are grouped (and zero padded); the rest follows as is.
        int intEnd = 0;
        while (intEnd < text.length() && text.charAt(intEnd) >= '0' && text.charAt(intEnd) <= '9') {
            intEnd++;
        }
        boolean point = intEnd < text.length() && text.charAt(intEnd) == '.';
        return layoutNumber(spec, negative, "", text.substring(0, intEnd), point,
                text.substring(point ? intEnd + 1 : intEnd));
    }

    /**
     * Lays a number out as CPython's format() does:
     * {@code [padding][sign][prefix][padding if '='][grouped digits][.][remainder][padding]}. With '0'
     * padding and '=' alignment the zeros become part of the digits and get separators too.
     */
    private static String layoutNumber(FormatSpec spec, boolean negative, String prefix, String digits,
            boolean point, String remainder) {
        String sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
        int others = sign.length() + prefix.length() + (point ? 1 : 0) + codePoints(remainder);
        long minDigits = spec.fill == '0' && spec.align == '=' ? spec.width - others : 0;
        String grouped = digits.isEmpty() ? "" : group(digits, minDigits, spec.groupSize, spec.separator);
        String tail = grouped + (point ? "." : "") + remainder;
        return align(spec, sign + prefix, tail, spec.width - others - grouped.length());
    }

    /**
     * Zero-pads digits to {@code minWidth} and inserts a separator every {@code size} digits from the right
     * (no grouping when size is 0). Like CPython, a result that would begin with a separator gets one more
     * zero instead, overshooting the width.
     */
    private static String group(String digits, long minWidth, int size, char separator) {
        if (size == 0) {
            return repeat('0', minWidth - digits.length()) + digits;
        }
        if (minWidth > MAX_PADDING) {
            throw tooLarge();
        }
        StringBuilder reversed = new StringBuilder();
        int remaining = digits.length();
        long width = minWidth;
        while (true) {
            int length = (int) Math.min(size, Math.max(Math.max(remaining, width), 1));
            int taken = Math.min(remaining, length);
            for (int k = 1; k <= taken; k++) {
                reversed.append(digits.charAt(remaining - k));
            }
            reversed.append("0".repeat(length - taken));
            remaining -= taken;
            width -= length;
            if (remaining <= 0 && width <= 0) {
                return reversed.reverse().toString();
            }
            reversed.append(separator);
            width--;
        }
    }

    /** Places {@code head + tail} in a field with {@code padding} fill characters to spare. */
    private static String align(FormatSpec spec, String head, String tail, long padding) {
        if (padding <= 0) {
            return head + tail;
        }
        switch (spec.align) {
            case '<':
                return head + tail + repeat(spec.fill, padding);
            case '^':
                return repeat(spec.fill, padding / 2) + head + tail + repeat(spec.fill, padding - padding / 2);
            case '=':
                return head + repeat(spec.fill, padding) + tail;
            default:
                return repeat(spec.fill, padding) + head + tail;
        }
    }

    private static TemplateRuntimeException unknownCode(int type, String typeName) {
        return Errors.valueError("Unknown format code " + quoteCode(type) + " for object of type '" + typeName + "'");
    }

    /** How CPython quotes a format letter in messages: {@code 'x'}, or {@code '\x1'} outside printable ASCII. */
    private static String quoteCode(int c) {
        return c > 32 && c < 128 ? "'" + (char) c + "'" : "'\\x" + Integer.toHexString(c) + "'";
    }

    // ================================================================== floats

    /**
     * The text of a non-negative float, nan or inf, as CPython's PyOS_double_to_string writes it: kind
     * 'f', 'e', 'g', or 'r' for repr. {@code strLike} is str.format's typeless style: 'g' keeps a ".0" on
     * integral results and switches to exponent notation one digit sooner.
     */
    private static String magnitude(double x, char kind, int precision, boolean alt, boolean strLike) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return "inf";
        }
        if (precision > MAX_PADDING) {
            throw tooLarge();
        }
        switch (kind) {
            case 'f':
                String fixed = new BigDecimal(x).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
                return alt && precision == 0 ? fixed + "." : fixed;
            case 'e':
                return exponentForm(significant(x, precision + 1), alt);
            case 'g':
                return general(x, Math.max(precision, 1), alt, strLike);
            default:
                String repr = Py.floatRepr(x);
                int e = repr.indexOf('e');
                // '#' promises a decimal point, which repr omits in forms like 1e+16
                return alt && repr.indexOf('.') < 0 ? repr.substring(0, e) + "." + repr.substring(e) : repr;
        }
    }

    /** The decimal {@code d.ddd * 10^exponent}: its significant digits and the exponent of the first one. */
    private record Digits(String digits, int exponent) {
    }

    /** x rounded to n significant digits, ties to even on the exact binary value. */
    private static Digits significant(double x, int n) {
        if (x == 0) {
            return new Digits("0".repeat(n), 0);
        }
        BigDecimal rounded = new BigDecimal(x).round(new MathContext(n, RoundingMode.HALF_EVEN));
        String unscaled = rounded.unscaledValue().toString();
        return new Digits(unscaled + "0".repeat(n - unscaled.length()), unscaled.length() - 1 - rounded.scale());
    }

    private static String general(double x, int precision, boolean alt, boolean strLike) {
        Digits rounded = significant(x, precision);
        int exponent = rounded.exponent();
        String digits = alt ? rounded.digits() : stripTrailingZeros(rounded.digits());
        if (exponent < -4 || exponent >= (strLike ? precision - 1 : precision)) {
            return exponentForm(new Digits(digits, exponent), alt);
        }
        String whole;
        String fraction;
        if (exponent >= 0) {
            int split = Math.min(digits.length(), exponent + 1);
            whole = digits.substring(0, split) + "0".repeat(exponent + 1 - split);
            fraction = digits.substring(split);
        } else {
            whole = "0";
            fraction = "0".repeat(-exponent - 1) + digits;
        }
        if (!fraction.isEmpty() || alt) {
            return whole + "." + fraction;
        }
        return strLike ? whole + ".0" : whole;
    }

    private static String exponentForm(Digits d, boolean alt) {
        String digits = d.digits();
        StringBuilder sb = new StringBuilder(digits.length() + 6).append(digits.charAt(0));
        if (digits.length() > 1 || alt) {
            sb.append('.').append(digits, 1, digits.length());
        }
        int exponent = Math.abs(d.exponent());
        sb.append(d.exponent() < 0 ? "e-" : "e+").append(exponent < 10 ? "0" : "").append(exponent);
        return sb.toString();
    }

    private static String stripTrailingZeros(String digits) {
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }

    /** Whether the mantissa of a formatted float shows no nonzero digit, so 'z' may drop a minus sign. */
    private static boolean hasOnlyZeroDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    /** A minus sign is shown for negative values and -0.0, never for nan. */
    private static boolean isNegative(double x) {
        return !Double.isNaN(x) && (Double.doubleToRawLongBits(x) < 0);
    }

    /** Python's conversion of a "real number" argument to float, as {@code %f} does it. */
    private static double realNumber(Object value) {
        if (value instanceof Undefined) {
            throw ((Undefined) value).error(); // Jinja2's Undefined raises from __float__
        }
        if (Py.isFloat(value)) {
            return Py.asDouble(value);
        }
        if (Py.isIntLike(value)) {
            return intToDouble(Py.asBig(value));
        }
        throw Errors.typeError("must be real number, not " + Py.typeName(value));
    }

    private static double intToDouble(BigInteger n) {
        double x = n.doubleValue(); // correctly rounded, like Python's int -> float
        if (Double.isInfinite(x)) {
            throw overflow("int too large to convert to float");
        }
        return x;
    }

    // ================================================================== helpers

    private static String character(BigInteger n) {
        if (n.signum() < 0 || n.compareTo(BigInteger.valueOf(Character.MAX_CODE_POINT)) > 0) {
            throw overflow("%c arg not in range(0x110000)");
        }
        return new String(Character.toChars(n.intValue()));
    }

    /** Python's ascii() of a repr: non-ASCII characters become backslash escapes (x, u or U). */
    private static String ascii(String repr) {
        StringBuilder sb = new StringBuilder(repr.length());
        for (int i = 0; i < repr.length(); ) {
            int cp = repr.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                sb.append((char) cp);
            } else {
                String hex = Integer.toHexString(cp);
                int width = cp <= 0xff ? 2 : cp <= 0xffff ? 4 : 8;
                sb.append(cp <= 0xff ? "\\x" : cp <= 0xffff ? "\\u" : "\\U")
                        .append("0".repeat(width - hex.length())).append(hex);
            }
        }
        return sb.toString();
    }

    /** The first {@code precision} characters (code points) of s; all of it when precision is negative. */
    private static String truncate(String s, long precision) {
        if (precision < 0 || precision >= codePoints(s)) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, (int) precision));
    }

    /** Python's len() of a str. */
    private static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String repeat(int codePoint, long count) {
        if (count <= 0) {
            return "";
        }
        if (count > MAX_PADDING) {
            throw tooLarge();
        }
        return new String(Character.toChars(codePoint)).repeat((int) count);
    }

    private static TemplateRuntimeException tooLarge() {
        return Errors.limit("format width or precision too large (limit " + MAX_PADDING + ")");
    }

    /** Python raises OverflowError here; the engine has no such kind and ValueError is the nearest. */
    private static TemplateRuntimeException overflow(String message) {
        return Errors.valueError(message);
    }
}
