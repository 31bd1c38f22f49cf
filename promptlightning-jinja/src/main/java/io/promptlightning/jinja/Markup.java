package io.promptlightning.jinja;

/** A string marked safe for HTML (Jinja2's {@code Markup}), produced by {@code |e}, {@code |safe}. */
final class Markup implements CharSequence {
    final String text;

    Markup(String text) {
        this.text = text;
    }

    static Markup escape(Object value) {
        if (value instanceof Markup) {
            return (Markup) value;
        }
        return new Markup(escapeHtml(Py.str(value)));
    }

    static String escapeHtml(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep;
            switch (c) {
                case '&': rep = "&amp;"; break;
                case '<': rep = "&lt;"; break;
                case '>': rep = "&gt;"; break;
                case '"': rep = "&#34;"; break;
                case '\'': rep = "&#39;"; break;
                default: rep = null;
            }
            if (rep != null) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(rep);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Markup && ((Markup) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
