package securenn.bench.protocols;

import securenn.kernels.ConvShape;
import securenn.kernels.Kernels;
import securenn.nn.PlainRingBackend;
import securenn.kernels.Ring;
import securenn.kernels.Im2Col;
import securenn.kernels.Transpose;
import securenn.mpc.DRelu;
import securenn.mpc.MatMul;
import securenn.mpc.MaxPool;
import securenn.mpc.MaxPoolDerivative;
import securenn.mpc.Party;
import securenn.mpc.Relu;
import securenn.mpc.Truncation;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the whitepaper's Table 8: what it measures, its dimensions, the paper's LAN time and communication, and
 * how to run it on a party with inputs prepared once (random shares: timing does not depend on the values).
 */
record ProtocolCase(String protocol, String dims, double paperLanMs, double paperMb, Prepare prepare, int warmups, int reps,
    Plain plain)
{
    ProtocolCase(final String protocol, final String dims, final double paperLanMs, final double paperMb, final Prepare prepare,
        final Plain plain)
    {
        this(protocol, dims, paperLanMs, paperMb, prepare, 30, 20, plain);
    }

    /** The same computation in the clear on one machine (the plaintext baseline), with inputs prepared once. */
    @FunctionalInterface
    interface Plain
    {
        Runnable prepare(Arena arena);
    }

    private static final Kernels KERNELS = Kernels.best();

    private static MemorySegment plainLongs(final Arena arena, final long n)
    {
        final MemorySegment s = arena.allocate(Math.max(1, n) * Long.BYTES, 64).asSlice(0, n * Long.BYTES);
        for (long i = 0; i < n; i++)
        {
            s.setAtIndex(Ring.LONG, i, (i * 0x9E3779B97F4A7C15L) >> 20);
        }
        return s;
    }

    @FunctionalInterface
    interface Prepare
    {
        Runnable on(Party party, Arena arena);
    }

    static List<ProtocolCase> table8()
    {
        final List<ProtocolCase> cases = new ArrayList<>();
        cases.add(conv(8, 5, 16, 50, 3.8, 0.42));
        cases.add(conv(28, 3, 1, 20, 1.8, 0.2));
        cases.add(conv(28, 5, 1, 20, 2.8, 0.33));
        cases.add(matMul(1, 100, 1, 0.33, 0.0032));
        cases.add(matMul(1, 500, 100, 4.8, 0.81));
        cases.add(matMul(784, 128, 10, 9.7, 1.69));
        cases.add(maxPool(8, 50, 4, 59.7, 2.23).using(DRelu.Method.PAPER));
        cases.add(maxPool(24, 16, 2, 61.1, 5.14).using(DRelu.Method.PAPER));
        cases.add(maxPool(24, 20, 2, 62.6, 6.43).using(DRelu.Method.PAPER));
        cases.add(dmp(8, 50, 4, 1.9, 0.18));
        cases.add(dmp(24, 16, 2, 4.8, 0.52));
        cases.add(dmp(24, 20, 2, 4.9, 0.65));
        cases.add(drelu(64, 16, 11.2, 0.68).using(DRelu.Method.PAPER));
        cases.add(drelu(128, 128, 109.8, 10.88).using(DRelu.Method.PAPER));
        cases.add(drelu(576, 20, 71.5, 7.65).using(DRelu.Method.PAPER));
        cases.add(relu(64, 16, 0.42, 0.04));
        cases.add(relu(128, 128, 2.8, 0.66));
        cases.add(relu(576, 20, 2.5, 0.46));
        return cases;
    }

    /**
     * The cases that compare ReLU′ methods: the paper's protocols run with Algorithm 6 (the rows above); these run
     * DReLU, a full ReLU and a Maxpool with {@link DRelu.Method#ONE_COMPARE}, the method networks use by default.
     */
    static List<ProtocolCase> oneCompare()
    {
        return List.of(
            drelu(128, 128, Double.NaN, Double.NaN).using(DRelu.Method.ONE_COMPARE),
            drelu(576, 20, Double.NaN, Double.NaN).using(DRelu.Method.ONE_COMPARE),
            fullRelu(128, 128).using(DRelu.Method.PAPER),
            fullRelu(128, 128).using(DRelu.Method.ONE_COMPARE),
            maxPool(24, 20, 2, Double.NaN, Double.NaN).using(DRelu.Method.ONE_COMPARE));
    }

    /**
     * This case with every party computing ReLU′ by {@code method}; the paper's rows keep their name, the others are
     * named "(one compare)" and carry no paper figures.
     */
    ProtocolCase using(final DRelu.Method method)
    {
        final Prepare inner = prepare;
        final Prepare set = (p, arena) ->
        {
            final Runnable run = inner.on(p, arena);
            return () ->
            {
                p.dreluMethod(method);
                run.run();
            };
        };
        final String name = method == DRelu.Method.PAPER ? protocol : protocol + " (one compare)";
        return new ProtocolCase(name, dims, paperLanMs, paperMb, set, warmups, reps, plain);
    }

    static MemorySegment shares(final Party p, final Arena arena, final long n)
    {
        if (!p.role().holdsShares())
        {
            return null;
        }
        final MemorySegment s = arena.allocate(Math.max(1, n) * Long.BYTES, 64).asSlice(0, n * Long.BYTES);
        p.randomness().own().fill(s);
        for (long i = 0; i < n; i++)
        {
            s.setAtIndex(securenn.kernels.Ring.LONG, i, s.getAtIndex(securenn.kernels.Ring.LONG, i) >> 4); // |share| < 2^60
        }
        return s;
    }

    static MemorySegment out(final Party p, final Arena arena, final long n)
    {
        return p.role().holdsShares() ? arena.allocate(Math.max(1, n) * Long.BYTES, 64).asSlice(0, n * Long.BYTES) : null;
    }

    /** Conv2d (m, f, i, o): m×m input, i channels, f×f filters, o outputs, no padding; im2col + MatMul + truncation. */
    static ProtocolCase conv(final int m, final int f, final int i, final int o, final double ms, final double mb)
    {
        return new ProtocolCase("Conv2d", m + ", " + f + ", " + i + ", " + o, ms, mb, (p, arena) ->
        {
            final ConvShape shape = new ConvShape(1, i, m, m, f, f, 1, 0);
            final MemorySegment image = shares(p, arena, shape.imageElements());
            final MemorySegment weights = shares(p, arena, (long)o * shape.patchSize());
            final MemorySegment cols = out(p, arena, (long)shape.patchSize() * shape.columns());
            final MemorySegment result = out(p, arena, (long)o * shape.columns());
            return () ->
            {
                if (p.role().holdsShares())
                {
                    Im2Col.im2col(shape, image, cols);
                }
                MatMul.multiply(p, weights, Transpose.NO, cols, Transpose.NO, result, o, shape.patchSize(), shape.columns());
                Truncation.local(p, result, result, 13, (long)o * shape.columns());
            };
        }, arena ->
        {
            final ConvShape shape = new ConvShape(1, i, m, m, f, f, 1, 0);
            final MemorySegment image = plainLongs(arena, shape.imageElements());
            final MemorySegment weights = plainLongs(arena, (long)o * shape.patchSize());
            final MemorySegment cols = plainLongs(arena, (long)shape.patchSize() * shape.columns());
            final MemorySegment result = plainLongs(arena, (long)o * shape.columns());
            return () ->
            {
                Im2Col.im2col(shape, image, cols);
                KERNELS.gemm().multiply(weights, Transpose.NO, cols, Transpose.NO, result, o, shape.patchSize(), shape.columns(), false);
                KERNELS.ring().shiftRight(result, 13, result, (long)o * shape.columns());
            };
        });
    }

    static ProtocolCase matMul(final int m, final int n, final int v, final double ms, final double mb)
    {
        return new ProtocolCase("MatMul", m + ", " + n + ", " + v, ms, mb, (p, arena) ->
        {
            final MemorySegment x = shares(p, arena, (long)m * n);
            final MemorySegment y = shares(p, arena, (long)n * v);
            final MemorySegment z = out(p, arena, (long)m * v);
            return () ->
            {
                MatMul.multiply(p, x, Transpose.NO, y, Transpose.NO, z, m, n, v);
                Truncation.local(p, z, z, 13, (long)m * v);
            };
        }, arena ->
        {
            final MemorySegment x = plainLongs(arena, (long)m * n);
            final MemorySegment y = plainLongs(arena, (long)n * v);
            final MemorySegment z = plainLongs(arena, (long)m * v);
            return () ->
            {
                KERNELS.gemm().multiply(x, Transpose.NO, y, Transpose.NO, z, m, n, v, false);
                KERNELS.ring().shiftRight(z, 13, z, (long)m * v);
            };
        });
    }

    /** Maxpool over m×m×c inputs with k×k windows (stride k): (m/k)²·c groups of k² values. */
    static ProtocolCase maxPool(final int m, final int c, final int k, final double ms, final double mb)
    {
        return new ProtocolCase("Maxpool", m + "×" + m + "×" + c + ", " + k + "×" + k, ms, mb, (p, arena) ->
        {
            final long groups = (long)(m / k) * (m / k) * c;
            final MemorySegment x = shares(p, arena, groups * k * k);
            final MemorySegment max = out(p, arena, groups);
            final MemorySegment idx = out(p, arena, groups);
            return () -> MaxPool.run(p, x, max, idx, groups, k * k);
        }, arena ->
        {
            final long groups = (long)(m / k) * (m / k) * c;
            final MemorySegment x = plainLongs(arena, groups * k * k);
            final MemorySegment max = plainLongs(arena, groups);
            final MemorySegment idx = plainLongs(arena, groups);
            return () -> new PlainRingBackend(KERNELS).maxPool(x, max, idx, groups, k * k);
        });
    }


    /** Maxpool derivative after Maxpool (the index shares exist): the paper's DMP row. */
    static ProtocolCase dmp(final int m, final int c, final int k, final double ms, final double mb)
    {
        return new ProtocolCase("DMP", m + "×" + m + "×" + c + ", " + k + "×" + k, ms, mb, (p, arena) ->
        {
            final long groups = (long)(m / k) * (m / k) * c;
            final MemorySegment idx = shares(p, arena, groups);
            final MemorySegment hot = out(p, arena, groups * k * k);
            return () -> MaxPoolDerivative.run(p, idx, hot, groups, k * k);
        }, arena ->
        {
            final long groups = (long)(m / k) * (m / k) * c;
            final MemorySegment idx = plainLongs(arena, groups);
            final MemorySegment hot = plainLongs(arena, groups * k * k);
            return () ->
            {
                hot.fill((byte)0);
                for (long g = 0; g < groups; g++)
                {
                    hot.setAtIndex(Ring.LONG, g * k * k + (idx.getAtIndex(Ring.LONG, g) & (k * k - 1)), 1);
                }
            };
        });
    }

    static ProtocolCase drelu(final int rows, final int cols, final double ms, final double mb)
    {
        return new ProtocolCase("DReLU", rows + "×" + cols, ms, mb, (p, arena) ->
        {
            final long n = (long)rows * cols;
            final MemorySegment a = shares(p, arena, n);
            final MemorySegment b = out(p, arena, n);
            return () -> DRelu.run(p, a, b, n);
        }, arena ->
        {
            final long n = (long)rows * cols;
            final MemorySegment a = plainLongs(arena, n);
            final MemorySegment b = plainLongs(arena, n);
            return () ->
            {
                for (long i = 0; i < n; i++)
                {
                    b.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) >= 0 ? 1 : 0);
                }
            };
        });
    }

    /** ReLU after DReLU (the derivative bits exist): the paper's ReLU row, one element-wise product. */
    static ProtocolCase relu(final int rows, final int cols, final double ms, final double mb)
    {
        return new ProtocolCase("ReLU", rows + "×" + cols, ms, mb, (p, arena) ->
        {
            final long n = (long)rows * cols;
            final MemorySegment a = shares(p, arena, n);
            final MemorySegment bits = shares(p, arena, n);
            final MemorySegment r = out(p, arena, n);
            return () -> MatMul.hadamard(p, bits, a, r, n);
        }, arena ->
        {
            final long n = (long)rows * cols;
            final MemorySegment a = plainLongs(arena, n);
            final MemorySegment bits = plainLongs(arena, n);
            final MemorySegment r = plainLongs(arena, n);
            return () -> KERNELS.ring().mul(bits, a, r, n);
        });
    }

    /** The full ReLU (DReLU and product), reported beside the paper's DReLU + ReLU rows. */
    static ProtocolCase fullRelu(final int rows, final int cols)
    {
        return new ProtocolCase("ReLU (full)", rows + "×" + cols, Double.NaN, Double.NaN, (p, arena) ->
        {
            final long n = (long)rows * cols;
            final MemorySegment a = shares(p, arena, n);
            final MemorySegment r = out(p, arena, n);
            return () -> Relu.run(p, a, r, null, n);
        }, arena ->
        {
            final long n = (long)rows * cols;
            final MemorySegment a = plainLongs(arena, n);
            final MemorySegment r = plainLongs(arena, n);
            return () ->
            {
                for (long i = 0; i < n; i++)
                {
                    r.setAtIndex(Ring.LONG, i, Math.max(0, a.getAtIndex(Ring.LONG, i)));
                }
            };
        });
    }
}
