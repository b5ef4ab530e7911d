package securenn.bench.report;

import java.util.List;
import java.util.Map;

/** A minimal JSON writer for report files: maps, lists, strings, numbers, booleans and null. */
public final class Json
{
    private Json()
    {
    }

    public static String write(final Object value)
    {
        final StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(final StringBuilder sb, final Object value, final int indent)
    {
        switch (value)
        {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Double d -> sb.append(Double.isFinite(d) ? trim(d) : "null");
            case Float f -> sb.append(Float.isFinite(f) ? trim(f) : "null");
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> map ->
            {
                sb.append('{');
                int i = 0;
                for (final Map.Entry<?, ?> e : map.entrySet())
                {
                    sb.append(i++ == 0 ? "\n" : ",\n").append("  ".repeat(indent + 1));
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), indent + 1);
                }
                sb.append(map.isEmpty() ? "" : "\n" + "  ".repeat(indent)).append('}');
            }
            case List<?> list ->
            {
                sb.append('[');
                for (int i = 0; i < list.size(); i++)
                {
                    sb.append(i == 0 ? "\n" : ",\n").append("  ".repeat(indent + 1));
                    write(sb, list.get(i), indent + 1);
                }
                sb.append(list.isEmpty() ? "" : "\n" + "  ".repeat(indent)).append(']');
            }
            default -> string(sb, value.toString());
        }
    }

    private static String trim(final double d)
    {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long)d) : Double.toString(d);
    }

    private static void string(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
