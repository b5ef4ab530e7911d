package securenn.nn;

import java.io.DataInputStream;
import java.io.IOException;

/**
 * Reads the text header lines of securenn's share files ({@code key value\n}), naming the file and the field in every
 * error.
 */
public final class HeaderLines
{
    private HeaderLines()
    {
    }

    /** One line without its newline; fails on end of file or a line longer than 200 characters. */
    public static String line(final DataInputStream in, final String file) throws IOException
    {
        final StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read())
        {
            if (c == -1 || sb.length() > 200)
            {
                throw new IOException(file + ": truncated or malformed header");
            }
            sb.append((char)c);
        }
        return sb.toString();
    }

    /** The value of the next line, which must be {@code key value}. */
    public static String field(final DataInputStream in, final String file, final String key) throws IOException
    {
        final String l = line(in, file);
        if (!l.startsWith(key + " "))
        {
            throw new IOException(file + ": expected '" + key + " …' but found '" + l + "'");
        }
        return l.substring(key.length() + 1).trim();
    }

    /** A field's value as an int in [0, max]. */
    public static int number(final String text, final String file, final String key, final int max) throws IOException
    {
        try
        {
            final int v = Integer.parseInt(text);
            if (v < 0 || v > max)
            {
                throw new IOException(file + ": " + key + " " + v + " is out of range (0.." + max + ")");
            }
            return v;
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException(file + ": " + key + " '" + text + "' is not a number");
        }
    }
}
