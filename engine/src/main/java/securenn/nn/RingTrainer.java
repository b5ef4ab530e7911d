package securenn.nn;

import securenn.kernels.Ring;
import securenn.kernels.RingOps;
import securenn.kernels.Transpose;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One step of the whitepaper's training (Appendix B.1) for networks of fc and relu layers, on any {@link RingBackend}:
 * the fixed-point twin and secure training run this same code.
 *
 * <pre>
 *   forward:   a_0 = X; z = a·W, truncate f, + b; a = ReLU(z) keeping ReLU′ for backprop
 *   output:    ASM(u) = ReLU(u) / Σ_row ReLU(u)      (Division to f bits; the sum is local)
 *   error:     δ = ASM(u) − Y                        (Y one-hot in fixed point)
 *   backward:  fc:   dW = a_inᵀ·δ, db = Σ_rows δ, δ_in = δ·Wᵀ (truncate f)
 *              relu: δ_in = δ ⊙ ReLU′
 *   update:    W −= dW / 2^(f + s), b −= db / 2^s     (SGD with rate/batch = 2^−s, by truncation)
 * </pre>
 * Local work (bias, sums, subtraction) runs only where {@link RingBackend#holdsData()}.
 */
public final class RingTrainer
{
    private RingTrainer()
    {
    }

    /**
     * Updates {@code params} in place with one SGD step on a batch of n items.
     *
     * @param labels n × outputs, one-hot in fixed point (value 2^f at the label); null for P2
     * @param shift  s: the learning rate divided by the batch size is 2^−s (the paper: 2^−7 / 128, s = 14)
     */
    public static void step(final RingBackend b, final NetworkSpec spec, final MemorySegment[] params,
        final MemorySegment input, final MemorySegment labels, final int n, final int f, final int shift)
    {
        for (final NetworkSpec.Layer l : spec.layers())
        {
            if (!(l instanceof NetworkSpec.Fc) && !(l instanceof NetworkSpec.Relu))
            {
                throw new IllegalArgumentException("training supports fc and relu layers so far; " + spec.name() + " has "
                    + l.getClass().getSimpleName());
            }
        }
        final boolean data = b.holdsData();
        final int layers = spec.layers().size();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment[] inputs = new MemorySegment[layers];
            final MemorySegment[] derivatives = new MemorySegment[layers];
            MemorySegment x = input;
            int p = 0;
            for (int l = 0; l < layers; l++)
            {
                final NetworkSpec.Layer layer = spec.layers().get(l);
                inputs[l] = x;
                final long size = (long)n * layer.out().size();
                final MemorySegment y = data ? longs(arena, size) : null;
                if (layer instanceof NetworkSpec.Fc fc)
                {
                    RingNetwork.fc(b, fc, params[p++], params[p++], x, y, n, f);
                }
                else
                {
                    derivatives[l] = data ? longs(arena, size) : null;
                    b.relu(x, y, derivatives[l], size);
                }
                x = y;
            }
            MemorySegment delta = outputError(b, arena, x, labels, n, spec.output().size(), f);
            for (int l = layers - 1; l >= 0; l--)
            {
                final NetworkSpec.Layer layer = spec.layers().get(l);
                if (layer instanceof NetworkSpec.Relu)
                {
                    final long size = (long)n * layer.out().size();
                    final MemorySegment next = data ? longs(arena, size) : null;
                    b.hadamard(delta, derivatives[l], next, size);
                    delta = next;
                    continue;
                }
                final NetworkSpec.Fc fc = (NetworkSpec.Fc)layer;
                final MemorySegment bias = params[--p];
                final MemorySegment weights = params[--p];
                final MemorySegment next = l > 0 && data ? longs(arena, (long)n * fc.inputs()) : null;
                if (l > 0)
                {
                    b.matmul(delta, Transpose.NO, weights, Transpose.YES, next, n, fc.outputs(), fc.inputs());
                    b.truncate(next, f, (long)n * fc.inputs());
                }
                update(b, arena, fc, weights, bias, inputs[l], delta, n, f, shift);
                delta = next;
            }
        }
    }

    /** δ = ASM(u) − Y with ASM(u) = ReLU(u) / Σ_row ReLU(u). */
    private static MemorySegment outputError(final RingBackend b, final Arena arena, final MemorySegment logits,
        final MemorySegment labels, final int n, final int k, final int f)
    {
        final long size = (long)n * k;
        final boolean data = b.holdsData();
        final MemorySegment positive = data ? longs(arena, size) : null;
        b.relu(logits, positive, size);
        final MemorySegment sums = data ? longs(arena, size) : null;
        if (data)
        {
            for (int s = 0; s < n; s++)
            {
                long sum = 0;
                for (int i = 0; i < k; i++)
                {
                    sum += positive.getAtIndex(Ring.LONG, (long)s * k + i);
                }
                for (int i = 0; i < k; i++)
                {
                    sums.setAtIndex(Ring.LONG, (long)s * k + i, sum);
                }
            }
        }
        final MemorySegment asm = data ? longs(arena, size) : null;
        b.divide(positive, sums, asm, f, size);
        if (data)
        {
            b.kernels().ring().sub(asm, labels, asm, size);
        }
        return asm;
    }

    /** W −= a_inᵀ·δ / 2^(f + s), b −= Σ_rows δ / 2^s. */
    private static void update(final RingBackend b, final Arena arena, final NetworkSpec.Fc fc, final MemorySegment weights,
        final MemorySegment bias, final MemorySegment in, final MemorySegment delta, final int n, final int f, final int shift)
    {
        final boolean data = b.holdsData();
        final long wSize = (long)fc.inputs() * fc.outputs();
        final MemorySegment grad = data ? longs(arena, wSize) : null;
        b.matmul(in, Transpose.YES, delta, Transpose.NO, grad, fc.inputs(), n, fc.outputs());
        b.truncate(grad, f + shift, wSize);
        final MemorySegment biasGrad = data ? longs(arena, fc.outputs()) : null;
        if (data)
        {
            final RingOps ring = b.kernels().ring();
            ring.sub(weights, grad, weights, wSize);
            biasGrad.fill((byte)0);
            for (int s = 0; s < n; s++)
            {
                ring.add(biasGrad, delta.asSlice((long)s * fc.outputs() * Long.BYTES), biasGrad, fc.outputs());
            }
        }
        b.truncate(biasGrad, shift, fc.outputs());
        if (data)
        {
            b.kernels().ring().sub(bias, biasGrad, bias, fc.outputs());
        }
    }

    private static MemorySegment longs(final Arena arena, final long n)
    {
        return arena.allocate(Math.max(1, n) * Long.BYTES, 64).asSlice(0, n * Long.BYTES);
    }
}
