package securenn.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network described as data: one layer per line, shapes inferred from the input.
 * <pre>
 *   # network B
 *   input 1 28 28          channels height width (optionally: scale S mean M… std D…, see {@link Preprocessing})
 *   conv 16 5 stride 1 pad 0   output channels, k×k filter (stride and pad optional, default 1 and 0)
 *   relu
 *   maxpool 2              k×k windows, stride k
 *   fc 100                 fully connected to 100 outputs (flattens its input)
 * </pre>
 * Networks A–D of the whitepaper ship as resources ({@link #builtIn}); a new network needs only a new file.
 */
public record NetworkSpec(String name, List<Layer> layers, Shape input, Preprocessing preprocessing)
{
    /** The shape of one item: channels × height × width (a flat vector is c × 1 × 1). */
    public record Shape(int channels, int height, int width)
    {
        public int size()
        {
            return channels * height * width;
        }

        /**
         * Fails unless images of {@code rows} × {@code cols} (one channel) fit an input of this shape: the same pixel
         * count in another geometry (e.g. input 1 14 56 for 28×28 images) would run, silently wrong.
         *
         * @param network names the network and where its input is declared, for the message
         * @param source  names where the images come from, for the message
         */
        public static void requireImages(final Shape input, final String network, final int rows, final int cols,
            final String source)
        {
            if (input.channels() != 1 || input.height() != rows || input.width() != cols)
            {
                throw new IllegalArgumentException("the images in " + source + " are " + rows + "×" + cols + " (one channel) "
                    + "but " + network + " takes input " + input + " (channels×height×width, the 'input' line of its spec)");
            }
        }

        @Override
        public String toString()
        {
            return channels + "×" + height + "×" + width;
        }
    }

    /** Fails unless images of {@code rows} × {@code cols} fit this network's input ({@link Shape#requireImages}). */
    public void requireImages(final int rows, final int cols, final String source)
    {
        Shape.requireImages(input, "network " + name, rows, cols, source);
    }

    /** A layer with its input and output shapes resolved. */
    public sealed interface Layer permits Fc, Conv, Relu, MaxPool
    {
        Shape in();

        Shape out();

        /** Parameter tensors (weights, bias) and their element counts; none for parameter-free layers. */
        default long[] parameterSizes()
        {
            return new long[0];
        }
    }

    /** Fully connected: y = x·W + b with W stored in × out (row-major). */
    public record Fc(Shape in, Shape out) implements Layer
    {
        public int inputs()
        {
            return in.size();
        }

        public int outputs()
        {
            return out.channels();
        }

        @Override
        public long[] parameterSizes()
        {
            return new long[]{(long)inputs() * outputs(), outputs()};
        }
    }

    /** Convolution with W stored out × (in.channels·k·k) and one bias per output channel. */
    public record Conv(Shape in, Shape out, int kernel, int stride, int padding) implements Layer
    {
        public int patchSize()
        {
            return in.channels() * kernel * kernel;
        }

        @Override
        public long[] parameterSizes()
        {
            return new long[]{(long)out.channels() * patchSize(), out.channels()};
        }
    }

    public record Relu(Shape in, Shape out) implements Layer
    {
    }

    /** k×k max pooling with stride k. */
    public record MaxPool(Shape in, Shape out, int kernel) implements Layer
    {
    }

    public static NetworkSpec parse(final String name, final String text)
    {
        Shape shape = null;
        Preprocessing pre = Preprocessing.PIXELS;
        final List<Layer> layers = new ArrayList<>();
        final String[] lines = text.split("\n");
        for (int ln = 0; ln < lines.length; ln++)
        {
            final String line = lines[ln].replaceAll("#.*", "").trim().toLowerCase(Locale.ROOT);
            if (line.isEmpty())
            {
                continue;
            }
            final String[] f = line.split("\\s+");
            final String where = name + " line " + (ln + 1) + " '" + lines[ln].trim() + "'";
            try
            {
                if (f[0].equals("input"))
                {
                    if (f.length < 4)
                    {
                        throw new IllegalArgumentException(where + ": expected 'input C H W [scale S] [mean M…] [std D…]'");
                    }
                    shape = new Shape(positive(f[1], where), positive(f[2], where), positive(f[3], where));
                    pre = preprocessing(f, where);
                    pre.requireChannels(shape.channels(), where);
                    continue;
                }
                if (shape == null)
                {
                    throw new IllegalArgumentException(where + ": the first layer must be 'input C H W'");
                }
                final Layer layer = switch (f[0])
                {
                    case "fc" ->
                    {
                        expect(f, 2, where);
                        yield new Fc(shape, new Shape(positive(f[1], where), 1, 1));
                    }
                    case "relu" ->
                    {
                        expect(f, 1, where);
                        yield new Relu(shape, shape);
                    }
                    case "maxpool" ->
                    {
                        expect(f, 2, where);
                        final int k = positive(f[1], where);
                        if (shape.height() % k != 0 || shape.width() % k != 0)
                        {
                            throw new IllegalArgumentException(where + ": " + k + "×" + k + " pooling does not divide " + shape);
                        }
                        yield new MaxPool(shape, new Shape(shape.channels(), shape.height() / k, shape.width() / k), k);
                    }
                    case "conv" -> conv(f, shape, where);
                    default -> throw new IllegalArgumentException(where + ": unknown layer '" + f[0]
                        + "' (expected input, conv, relu, maxpool, fc)");
                };
                layers.add(layer);
                shape = layer.out();
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(where + ": not a number: " + ex.getMessage(), ex);
            }
        }
        if (shape == null || layers.isEmpty())
        {
            throw new IllegalArgumentException(name + ": a network needs an input line and at least one layer");
        }
        return new NetworkSpec(name, List.copyOf(layers), layers.getFirst().in(), pre);
    }

    /** The options after 'input C H W': scale S, mean M…, std D… (mean and std with the same count). */
    private static Preprocessing preprocessing(final String[] f, final String where)
    {
        double scale = Preprocessing.PIXELS.scale();
        final List<Double> mean = new ArrayList<>();
        final List<Double> std = new ArrayList<>();
        List<Double> into = null;
        for (int i = 4; i < f.length; i++)
        {
            switch (f[i])
            {
                case "scale" ->
                {
                    if (++i >= f.length)
                    {
                        throw new IllegalArgumentException(where + ": 'scale' needs a value");
                    }
                    scale = Double.parseDouble(f[i]);
                    into = null;
                }
                case "mean" -> into = mean;
                case "std" -> into = std;
                default ->
                {
                    if (into == null)
                    {
                        throw new IllegalArgumentException(where + ": unknown input option '" + f[i] + "' (scale, mean, std)");
                    }
                    into.add(Double.parseDouble(f[i]));
                }
            }
        }
        if (mean.isEmpty() && std.isEmpty())
        {
            mean.add(0.0);
            std.add(1.0);
        }
        try
        {
            return new Preprocessing(scale, mean.stream().mapToDouble(Double::doubleValue).toArray(),
                std.stream().mapToDouble(Double::doubleValue).toArray());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
        }
    }

    private static Conv conv(final String[] f, final Shape in, final String where)
    {
        if (f.length != 3 && f.length != 5 && f.length != 7)
        {
            throw new IllegalArgumentException(where + ": expected 'conv OUT K [stride S] [pad P]'");
        }
        final int out = positive(f[1], where);
        final int k = positive(f[2], where);
        int stride = 1;
        int pad = 0;
        for (int i = 3; i + 1 < f.length; i += 2)
        {
            switch (f[i])
            {
                case "stride" -> stride = positive(f[i + 1], where);
                case "pad" -> pad = Integer.parseInt(f[i + 1]);
                default -> throw new IllegalArgumentException(where + ": unknown conv option '" + f[i] + "'");
            }
        }
        if (pad < 0 || in.height() + 2 * pad < k || in.width() + 2 * pad < k)
        {
            throw new IllegalArgumentException(where + ": a " + k + "×" + k + " filter with pad " + pad + " does not fit " + in);
        }
        final int oh = (in.height() + 2 * pad - k) / stride + 1;
        final int ow = (in.width() + 2 * pad - k) / stride + 1;
        return new Conv(in, new Shape(out, oh, ow), k, stride, pad);
    }

    private static void expect(final String[] f, final int n, final String where)
    {
        if (f.length != n)
        {
            throw new IllegalArgumentException(where + ": expected " + (n - 1) + " argument(s) after '" + f[0] + "'");
        }
    }

    private static int positive(final String s, final String where)
    {
        final int v = Integer.parseInt(s);
        if (v <= 0)
        {
            throw new IllegalArgumentException(where + ": " + v + " must be positive");
        }
        return v;
    }

    /**
     * A built-in network (A–D) or a network description file ({@link #describe}'s lines, as {@code securenn import}
     * writes beside a model): what P2, which holds no model, is told to run.
     */
    public static NetworkSpec resolve(final String letterOrFile)
    {
        if (letterOrFile.length() == 1)
        {
            return builtIn(letterOrFile);
        }
        final java.nio.file.Path file = java.nio.file.Path.of(letterOrFile);
        if (!java.nio.file.Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("network '" + letterOrFile + "' is neither a built-in network (A, B, C, D) nor a "
                + "network description file");
        }
        try
        {
            final String name = file.getFileName().toString().replaceFirst("\\.network$", "");
            return parse(name, java.nio.file.Files.readString(file));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(file + ": cannot read the network description: " + ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
        }
    }

    /** Networks A–D of the whitepaper (Appendix B/C), from the bundled resources. */
    public static NetworkSpec builtIn(final String letter)
    {
        final String name = letter.toUpperCase(Locale.ROOT);
        try (InputStream in = NetworkSpec.class.getResourceAsStream("/securenn/networks/" + name + ".net"))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no built-in network '" + letter + "' (choose A, B, C or D)");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read built-in network " + name, ex);
        }
    }

    /** The layer lines of this network, re-parseable by {@link #parse}. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder("input " + input.channels() + " " + input.height() + " " + input.width()
            + preprocessing.describe() + "\n");
        for (final Layer l : layers)
        {
            sb.append(describe(l)).append('\n');
        }
        return sb.toString();
    }

    private static String describe(final Layer l)
    {
        return switch (l)
        {
            case Fc fc -> "fc " + fc.outputs();
            case Conv c -> "conv " + c.out().channels() + " " + c.kernel() + " stride " + c.stride() + " pad " + c.padding();
            case Relu r -> "relu";
            case MaxPool m -> "maxpool " + m.kernel();
        };
    }

    /** How messages name parameter tensor {@code tensor}, e.g. "tensor 2 (weights of layer 3, fc 10)". */
    public String parameterName(final int tensor)
    {
        int t = 0;
        for (int l = 0; l < layers.size(); l++)
        {
            final int count = layers.get(l).parameterSizes().length;
            if (tensor < t + count)
            {
                return "tensor " + tensor + " (" + (tensor == t ? "weights" : "bias") + " of layer " + (l + 1) + ", "
                    + describe(layers.get(l)) + ")";
            }
            t += count;
        }
        return "tensor " + tensor;
    }

    public Shape output()
    {
        return layers.getLast().out();
    }

    /** Number of parameter tensors (two per fc or conv layer). */
    public int parameterCount()
    {
        int n = 0;
        for (final Layer l : layers)
        {
            n += l.parameterSizes().length;
        }
        return n;
    }
}
