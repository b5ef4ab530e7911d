package securenn.nn;

import securenn.kernels.ConvShape;
import securenn.kernels.Ring;
import securenn.kernels.Transpose;
import securenn.mpc.Factor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Forward pass of a network in fixed point over Z_{2^64}, on any {@link RingBackend}: the plaintext twin and the
 * secure protocol run this same code, so they differ only in what the backend does.
 *
 * <p>Layouts: activations are NCHW, batch first. fc: Y (n × out) = X (n × in) · W (in × out), then truncation and
 * bias. conv: im2col gives (C·k·k) × (n·oh·ow); W (out × C·k·k) · cols gives the output channel-major (the vector
 * GEMM's fast direction), then truncation, bias per channel, and a local transpose back to NCHW. maxpool gathers each
 * k×k window into k² consecutive values. With inputs and weights at f fractional bits every product is truncated by
 * f, so activations stay at f bits.
 *
 * <p>A relu followed by a maxpool runs as maxpool then relu: ReLU is monotone, so max(ReLU(x)) = ReLU(max(x))
 * exactly, and the (expensive) secure ReLU then touches k² times fewer values. Results are bit-identical.
 */
public final class RingNetwork
{
    private RingNetwork()
    {
    }

    /**
     * @param params parameter tensors in spec order (plaintext ring values or this party's shares); null entries for P2
     * @param input  n × input size (values or shares); null for P2
     * @param output n × output size receiving the logits (values or shares); null for P2
     */
    public static void forward(final RingBackend b, final NetworkSpec spec, final MemorySegment[] params,
        final MemorySegment input, final MemorySegment output, final int n, final int f)
    {
        try (Arena arena = b.scratch())
        {
            MemorySegment x = input;
            int p = 0;
            final java.util.List<NetworkSpec.Layer> layers = spec.layers();
            for (int l = 0; l < layers.size(); l++)
            {
                final NetworkSpec.Layer layer = layers.get(l);
                if (layer instanceof NetworkSpec.Relu && l + 1 < layers.size() && layers.get(l + 1) instanceof NetworkSpec.MaxPool m)
                {
                    final MemorySegment pooled = b.holdsData() ? longs(arena, (long)n * m.out().size()) : null;
                    maxPool(b, arena, m, x, pooled, n);
                    final MemorySegment y = b.holdsData() ? longs(arena, (long)n * m.out().size()) : null;
                    b.relu(pooled, y, (long)n * m.out().size());
                    x = y;
                    l++;
                    continue;
                }
                final MemorySegment y = b.holdsData() ? longs(arena, (long)n * layer.out().size()) : null;
                switch (layer)
                {
                    case NetworkSpec.Fc fc -> fc(b, arena, fc, params[p++], params[p++], x, y, n, f, null);
                    case NetworkSpec.Conv c -> conv(b, arena, c, params[p++], params[p++], x, y, n, f, null);
                    case NetworkSpec.Relu r -> b.relu(x, y, (long)n * r.in().size());
                    case NetworkSpec.MaxPool m -> maxPool(b, arena, m, x, y, n);
                }
                x = y;
            }
            if (b.holdsData())
            {
                MemorySegment.copy(x, 0, output, 0, (long)n * spec.output().size() * Long.BYTES);
            }
        }
    }

    /**
     * Fully connected layer; when {@code keep} is given it receives the factors of the input and the weights, opened
     * in {@code arena}, for backprop's products.
     */
    static void fc(final RingBackend b, final Arena arena, final NetworkSpec.Fc fc, final MemorySegment w,
        final MemorySegment bias, final MemorySegment x, final MemorySegment y, final int n, final int f,
        final Factor[] keep)
    {
        final Factor[] xw = b.open(arena, new long[]{(long)n * fc.inputs(), (long)fc.inputs() * fc.outputs()}, x, w);
        b.matmul(xw[0], Transpose.NO, xw[1], Transpose.NO, y, n, fc.inputs(), fc.outputs());
        keep(keep, xw[0], xw[1]);
        b.truncate(y, f, (long)n * fc.outputs());
        if (b.holdsData())
        {
            for (int s = 0; s < n; s++)
            {
                b.kernels().ring().add(y.asSlice((long)s * fc.outputs() * Long.BYTES), bias, y.asSlice((long)s * fc.outputs()
                    * Long.BYTES), fc.outputs());
            }
        }
    }

    /**
     * Convolution layer. The input is opened, not its im2col matrix (k² times larger): im2col is linear, so the
     * opened input's column matrix is the column matrix's opening ({@link Factor#im2col}). When {@code keep} is
     * given it receives the factors of the column matrix and the weights, for backprop's products.
     */
    static void conv(final RingBackend b, final Arena arena, final NetworkSpec.Conv c, final MemorySegment w,
        final MemorySegment bias, final MemorySegment x, final MemorySegment y, final int n, final int f,
        final Factor[] keep)
    {
        final ConvShape shape = shape(c, n);
        final int outC = c.out().channels();
        final int plane = c.out().height() * c.out().width();
        final long cells = (long)outC * shape.columns();
        final Factor[] xw = b.open(arena, new long[]{(long)n * c.in().size(), (long)outC * shape.patchSize()}, x, w);
        final Factor cols = xw[0].im2col(arena, shape);
        final MemorySegment channelMajor = b.holdsData() ? longs(arena, cells) : null;
        b.matmul(xw[1], Transpose.NO, cols, Transpose.NO, channelMajor, outC, shape.patchSize(), shape.columns());
        keep(keep, cols, xw[1]);
        b.truncate(channelMajor, f, cells);
        if (!b.holdsData())
        {
            return;
        }
        for (int co = 0; co < outC; co++)
        {
            final long bv = bias.getAtIndex(Ring.LONG, co);
            final MemorySegment row = channelMajor.asSlice((long)co * shape.columns() * Long.BYTES, (long)shape.columns() * Long.BYTES);
            b.kernels().ring().addScalar(row, bv, row, shape.columns());
            for (int s = 0; s < n; s++)
            {
                MemorySegment.copy(row, (long)s * plane * Long.BYTES, y, ((long)s * outC + co) * plane * Long.BYTES,
                    (long)plane * Long.BYTES);
            }
        }
    }

    /** The im2col shape of a conv layer over a batch of n. */
    static ConvShape shape(final NetworkSpec.Conv c, final int n)
    {
        return new ConvShape(n, c.in().channels(), c.in().height(), c.in().width(), c.kernel(), c.kernel(), c.stride(),
            c.padding());
    }

    private static void keep(final Factor[] keep, final Factor input, final Factor weights)
    {
        if (keep != null)
        {
            keep[0] = input;
            keep[1] = weights;
        }
    }

    private static void maxPool(final RingBackend b, final Arena arena, final NetworkSpec.MaxPool m, final MemorySegment x,
        final MemorySegment y, final int n)
    {
        b.maxPool(b.holdsData() ? windows(arena, m, x, n) : null, y, (long)n * m.out().size(), m.kernel() * m.kernel());
    }

    /** Gathers every k×k window of an NCHW activation into k² consecutive values, groups ordered (n, c, oy, ox). */
    static MemorySegment windows(final Arena arena, final NetworkSpec.MaxPool m, final MemorySegment x, final int n)
    {
        final int k = m.kernel();
        final MemorySegment windows = longs(arena, (long)n * m.out().size() * k * k);
        copyWindows(m, n, x, windows, true);
        return windows;
    }

    /**
     * Copies between an NCHW activation and its k×k windows (k² consecutive values per group, groups ordered
     * (n, c, oy, ox)): gathers into {@code windows}, or scatters back into {@code activation} when not gathering.
     * Windows do not overlap (stride k), so the scatter writes every input position exactly once.
     */
    static void copyWindows(final NetworkSpec.MaxPool m, final int n, final MemorySegment activation,
        final MemorySegment windows, final boolean gather)
    {
        final int k = m.kernel();
        final NetworkSpec.Shape in = m.in();
        final NetworkSpec.Shape out = m.out();
        final long row = (long)k * Long.BYTES;
        long g = 0;
        for (int s = 0; s < n; s++)
        {
            for (int c = 0; c < out.channels(); c++)
            {
                for (int oy = 0; oy < out.height(); oy++)
                {
                    for (int ox = 0; ox < out.width(); ox++, g++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            final long at = ((((long)s * in.channels() + c) * in.height() + oy * k + ky) * in.width() + (long)ox * k)
                                * Long.BYTES;
                            final long w = (g * k * k + (long)ky * k) * Long.BYTES;
                            if (gather)
                            {
                                MemorySegment.copy(activation, at, windows, w, row);
                            }
                            else
                            {
                                MemorySegment.copy(windows, w, activation, at, row);
                            }
                        }
                    }
                }
            }
        }
    }

    static MemorySegment longs(final Arena arena, final long n)
    {
        return arena.allocate(Math.max(1, n) * Long.BYTES, 64).asSlice(0, n * Long.BYTES);
    }
}
