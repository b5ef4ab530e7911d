package securenn.nn;

import securenn.kernels.Ring;
import securenn.kernels.RingOps;
import securenn.kernels.Transpose;
import securenn.mpc.Factor;
import securenn.mpc.LinearMap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One step of the whitepaper's training (Appendix B.1) for networks of fc, conv, relu and maxpool layers, on any
 * {@link RingBackend}: the fixed-point twin and secure training run this same code.
 *
 * <pre>
 *   forward:   a_0 = X; z = a·W, truncate f, + b; a = ReLU(z) keeping ReLU′ for backprop
 *   output:    ASM(u) = ReLU(u) / (Σ_row ReLU(u) + 1 ulp)   (Division to f bits; the sum is local; the ulp
 *              keeps 0/0 at 0 — without it a row whose logits are all ≤ 0 divides 0 by 0, gets ASM ≈ 1 for every
 *              class, and its gradient pushes all logits further down: training stalls)
 *   error:     δ = ASM(u) − Y                        (Y one-hot in fixed point; or δ = u − Y, {@link OutputLoss})
 *   backward:  fc:   dW = a_inᵀ·δ, db = Σ_rows δ, δ_in = δ·Wᵀ (truncate f)
 *              conv: δ channel-major; dW = δ·colsᵀ, db = Σ δ per channel, δ_in = col2im(Wᵀ·δ), then truncate f
 *              maxpool: δ_in = one-hot(argmax) ⊙ δ, scattered back to the windows (MaxPool derivative)
 *              relu: δ_in = δ ⊙ ReLU′
 *   update:    W −= dW / 2^(f + s), b −= db / 2^s     (SGD with rate/batch = 2^−s, by truncation; with momentum
 *              the step goes through a velocity, see {@link Sgd})
 * </pre>
 * Local work (bias, sums, subtraction, layouts) runs only where {@link RingBackend#holdsData()}.
 *
 * <p>A relu followed by a maxpool runs as maxpool then relu, as in inference ({@link RingNetwork}): max(ReLU(z)) =
 * ReLU(max(z)), and the secure ReLU and its derivative touch k² times fewer values. Backward, δ is multiplied by
 * ReLU′(max z) and then routed to the argmax of z. This is the textbook gradient of the written order (ReLU′(z_i) at
 * the argmax of ReLU(z)) except when the window's maximum is exactly 0: DReLU(0) = 1, so the swapped order passes δ
 * to the last zero while the written order may pass it to a last element that is negative (and drop it) — both are
 * subgradients; secure training and the twin take the same one.
 */
public final class RingTrainer
{
    private RingTrainer()
    {
    }

    /**
     * Updates {@code params} in place with one SGD step on a batch of n items and returns this party's share of the
     * batch's loss proxy at scale 2^(2f): Σ δ² for ASM and squared error (one extra element-wise product), the
     * hinge loss for hinge (P2 returns 0). Opening it reveals one number per batch to whoever adds the two shares.
     *
     * @param labels n × outputs, one-hot in fixed point (value 2^f at the label); null for P2
     * @param shift  s: the learning rate divided by the batch size is 2^−s (the paper: 2^−7 / 128, s = 14)
     */
    public static long step(final RingBackend b, final NetworkSpec spec, final MemorySegment[] params,
        final MemorySegment input, final MemorySegment labels, final int n, final int f, final int shift)
    {
        return step(b, spec, params, input, labels, n, f, shift, Sgd.PAPER, null);
    }

    /**
     * One step under {@code rule}; {@code velocity} comes from {@link Sgd#velocity} (null without momentum) and is
     * updated in place with the parameters.
     */
    public static long step(final RingBackend b, final NetworkSpec spec, final MemorySegment[] params,
        final MemorySegment input, final MemorySegment labels, final int n, final int f, final int shift,
        final Sgd rule, final MemorySegment[] velocity)
    {
        final OutputLoss loss = rule.loss();
        final int mu = rule.momentumShift();
        if (rule.hasMomentum() && velocity == null)
        {
            throw new IllegalArgumentException("momentum needs velocities (Sgd.velocity)");
        }
        for (final NetworkSpec.Layer l : spec.layers())
        {
            if (l instanceof NetworkSpec.MaxPool m && Integer.bitCount(m.kernel() * m.kernel()) != 1)
            {
                throw new IllegalArgumentException(spec.name() + ": training needs maxpool windows of a power-of-two size "
                    + "(the MaxPool derivative needs n | 2^64) but has " + m.kernel() + "×" + m.kernel());
            }
        }
        final boolean data = b.holdsData();
        final int layers = spec.layers().size();
        try (Arena arena = b.scratch())
        {
            final MemorySegment[] derivatives = new MemorySegment[layers]; // ReLU′ or argmax indices
            final Factor[][] factors = new Factor[layers][]; // fc and conv: the opened input (or columns) and weights
            final boolean[] swapped = new boolean[layers]; // a relu evaluated after the maxpool that follows it
            MemorySegment x = input;
            int p = 0;
            for (int l = 0; l < layers; l++)
            {
                final NetworkSpec.Layer layer = spec.layers().get(l);
                if (layer instanceof NetworkSpec.Relu && l + 1 < layers
                    && spec.layers().get(l + 1) instanceof NetworkSpec.MaxPool m)
                {
                    // maxpool first, then ReLU on k² times fewer values (see the class comment)
                    final long pooledSize = (long)n * m.out().size();
                    final MemorySegment pooled = data ? longs(arena, pooledSize) : null;
                    derivatives[l + 1] = data ? longs(arena, pooledSize) : null;
                    b.maxPool(data ? RingNetwork.windows(arena, m, x, n) : null, pooled, derivatives[l + 1], pooledSize,
                        m.kernel() * m.kernel());
                    final MemorySegment out = data ? longs(arena, pooledSize) : null;
                    derivatives[l] = data ? longs(arena, pooledSize) : null;
                    b.relu(pooled, out, derivatives[l], pooledSize);
                    swapped[l] = true;
                    x = out;
                    l++;
                    continue;
                }
                final long size = (long)n * layer.out().size();
                final MemorySegment y = data ? longs(arena, size) : null;
                switch (layer)
                {
                    case NetworkSpec.Fc fc ->
                    {
                        factors[l] = new Factor[2];
                        RingNetwork.fc(b, arena, fc, params[p++], params[p++], x, y, n, f, factors[l]);
                    }
                    case NetworkSpec.Conv c ->
                    {
                        factors[l] = new Factor[2];
                        RingNetwork.conv(b, arena, c, params[p++], params[p++], x, y, n, f, factors[l]);
                    }
                    case NetworkSpec.Relu r ->
                    {
                        derivatives[l] = data ? longs(arena, size) : null;
                        b.relu(x, y, derivatives[l], size);
                    }
                    case NetworkSpec.MaxPool m ->
                    {
                        derivatives[l] = data ? longs(arena, size) : null;
                        b.maxPool(data ? RingNetwork.windows(arena, m, x, n) : null, y, derivatives[l], size,
                            m.kernel() * m.kernel());
                    }
                }
                x = y;
            }
            final int k = spec.output().size();
            final long[] hingeLoss = new long[1];
            MemorySegment delta = switch (loss)
            {
                case ASM -> outputError(b, arena, x, labels, n, k, f);
                case SQUARED -> logitError(b, arena, x, labels, (long)n * k);
                case HINGE -> hingeError(b, arena, x, labels, n, k, f, hingeLoss);
            };
            final long lossShare = loss == OutputLoss.HINGE ? hingeLoss[0] : squaredError(b, arena, delta, (long)n * k);
            for (int l = layers - 1; l >= 0; l--)
            {
                final NetworkSpec.Layer layer = spec.layers().get(l);
                if (layer instanceof NetworkSpec.Relu && swapped[l])
                {
                    continue; // its ReLU′ was applied before the maxpool's backward step
                }
                if (layer instanceof NetworkSpec.MaxPool m && l > 0 && swapped[l - 1])
                {
                    final long pooledSize = (long)n * m.out().size();
                    final MemorySegment next = data ? longs(arena, pooledSize) : null;
                    b.hadamard(delta, derivatives[l - 1], next, pooledSize);
                    delta = maxPoolBackward(b, arena, m, derivatives[l], next, n);
                    continue;
                }
                if (layer instanceof NetworkSpec.Relu)
                {
                    final long size = (long)n * layer.out().size();
                    final MemorySegment next = data ? longs(arena, size) : null;
                    b.hadamard(delta, derivatives[l], next, size);
                    delta = next;
                    continue;
                }
                if (layer instanceof NetworkSpec.MaxPool m)
                {
                    delta = maxPoolBackward(b, arena, m, derivatives[l], delta, n);
                    continue;
                }
                if (layer instanceof NetworkSpec.Conv c)
                {
                    final MemorySegment bias = params[--p];
                    final MemorySegment weights = params[--p];
                    delta = convBackward(b, arena, c, weights, bias, factors[l], delta, n, f, shift, l > 0,
                        momentum(velocity, p), momentum(velocity, p + 1), mu);
                    continue;
                }
                final NetworkSpec.Fc fc = (NetworkSpec.Fc)layer;
                final MemorySegment bias = params[--p];
                final MemorySegment weights = params[--p];
                final MemorySegment next = l > 0 && data ? longs(arena, (long)n * fc.inputs()) : null;
                final Factor error = b.open(arena, new long[]{(long)n * fc.outputs()}, delta)[0];
                if (l > 0)
                {
                    b.matmul(error, Transpose.NO, factors[l][1], Transpose.YES, next, n, fc.outputs(), fc.inputs());
                    b.truncate(next, f, (long)n * fc.inputs());
                }
                update(b, arena, fc, weights, bias, factors[l][0], error, delta, n, f, shift, momentum(velocity, p),
                    momentum(velocity, p + 1), mu);
                delta = next;
            }
            return lossShare;
        }
    }

    /** This party's share of Σ δ² (0 for P2). */
    private static long squaredError(final RingBackend b, final Arena arena, final MemorySegment delta, final long size)
    {
        final MemorySegment squares = b.holdsData() ? longs(arena, size) : null;
        b.hadamard(delta, delta, squares, size);
        long sum = 0;
        for (long i = 0; squares != null && i < size; i++)
        {
            sum += squares.getAtIndex(Ring.LONG, i);
        }
        return sum;
    }

    /** δ_in = one-hot(argmax) ⊙ δ broadcast over each window, scattered back to the NCHW input. */
    private static MemorySegment maxPoolBackward(final RingBackend b, final Arena arena, final NetworkSpec.MaxPool m,
        final MemorySegment index, final MemorySegment delta, final int n)
    {
        final boolean data = b.holdsData();
        final int size = m.kernel() * m.kernel();
        final long groups = (long)n * m.out().size();
        final MemorySegment hot = data ? longs(arena, groups * size) : null;
        b.maxPoolDerivative(index, hot, groups, size);
        final MemorySegment spread = data ? longs(arena, groups * size) : null;
        if (data)
        {
            for (long g = 0; g < groups; g++)
            {
                final long v = delta.getAtIndex(Ring.LONG, g);
                for (int i = 0; i < size; i++)
                {
                    spread.setAtIndex(Ring.LONG, g * size + i, v);
                }
            }
        }
        b.hadamard(hot, spread, spread, groups * size);
        if (!data)
        {
            return null;
        }
        final MemorySegment in = longs(arena, (long)n * m.in().size());
        RingNetwork.copyWindows(m, n, in, spread, false);
        return in;
    }

    /**
     * Weight and bias update of a conv layer and, unless it is the first layer, δ for its input. {@code forward}
     * holds the factors of the forward pass's column matrix and weights (the weights are still unchanged here); δ is
     * opened once for both products.
     */
    private static MemorySegment convBackward(final RingBackend b, final Arena arena, final NetworkSpec.Conv c,
        final MemorySegment weights, final MemorySegment bias, final Factor[] forward, final MemorySegment delta,
        final int n, final int f, final int shift, final boolean propagate, final MemorySegment weightVelocity,
        final MemorySegment biasVelocity, final int m)
    {
        final boolean data = b.holdsData();
        final int outC = c.out().channels();
        final int plane = c.out().height() * c.out().width();
        final int columns = n * plane;
        final int patch = c.patchSize();
        MemorySegment channelMajor = null;
        if (data)
        {
            channelMajor = longs(arena, (long)outC * columns);
            for (int s = 0; s < n; s++)
            {
                for (int co = 0; co < outC; co++)
                {
                    MemorySegment.copy(delta, ((long)s * outC + co) * plane * Long.BYTES, channelMajor,
                        ((long)co * columns + (long)s * plane) * Long.BYTES, (long)plane * Long.BYTES);
                }
            }
        }
        final Factor error = b.open(arena, new long[]{(long)outC * columns}, channelMajor)[0];
        MemorySegment in = null;
        if (propagate)
        {
            // δ_in = col2im(Wᵀ·δ): the map runs on each party's share of the product, and P2's correction comes in
            // the input's (smaller) shape
            in = data ? longs(arena, (long)n * c.in().size()) : null;
            b.matmul(forward[1], Transpose.YES, error, Transpose.NO, in, patch, outC, columns,
                LinearMap.col2im(RingNetwork.shape(c, n)));
            // truncate once after col2im has summed the overlapping windows at scale 2^2f: one rounding per input
            // element instead of one per window it lies in (up to kernel² of them, whose errors would add up), and
            // far fewer values to truncate (C's second conv: 2,880 instead of 32,000 per image)
            b.truncate(in, f, (long)n * c.in().size());
        }
        final long wSize = (long)outC * patch;
        final MemorySegment grad = data ? longs(arena, wSize) : null;
        b.matmul(error, Transpose.NO, forward[0], Transpose.YES, grad, outC, columns, patch);
        b.truncate(grad, f + shift, wSize);
        descend(b, arena, weights, grad, weightVelocity, wSize, m);
        final MemorySegment biasGrad = data ? longs(arena, outC) : null;
        if (data)
        {
            for (int co = 0; co < outC; co++)
            {
                long sum = 0;
                for (int i = 0; i < columns; i++)
                {
                    sum += channelMajor.getAtIndex(Ring.LONG, (long)co * columns + i);
                }
                biasGrad.setAtIndex(Ring.LONG, co, sum);
            }
        }
        b.truncate(biasGrad, shift, outC);
        descend(b, arena, bias, biasGrad, biasVelocity, outC, m);
        return in;
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
            broadcastRowSums(positive, sums, n, k);
            b.addConstant(sums, 1, size);
        }
        final MemorySegment asm = data ? longs(arena, size) : null;
        b.divide(positive, sums, asm, f, size);
        if (data)
        {
            b.kernels().ring().sub(asm, labels, asm, size);
        }
        return asm;
    }

    /**
     * Multiclass hinge, margin 1 ({@link OutputLoss#HINGE}). At scale 2^2f, with no truncation anywhere:
     * d_j = u_j·2^f − Σ_k Y_k·u_k + 2^2f (Y_k·u_k is u_y·2^f at the label, 0 elsewhere), b = ReLU′(d),
     * δ = b·2^f − Y·Σ_k b_k. {@code lossOut[0]} receives this party's share of the batch's hinge loss
     * Σ_j ReLU(d_j) − n·2^2f (the label's own term is exactly the margin), at scale 2^2f.
     */
    private static MemorySegment hingeError(final RingBackend b, final Arena arena, final MemorySegment logits,
        final MemorySegment labels, final int n, final int k, final int f, final long[] lossOut)
    {
        final long size = (long)n * k;
        final boolean data = b.holdsData();
        final MemorySegment picked = data ? longs(arena, size) : null;
        b.hadamard(labels, logits, picked, size);
        final MemorySegment d = data ? longs(arena, size) : null;
        if (data)
        {
            broadcastRowSums(picked, d, n, k);
            final RingOps ring = b.kernels().ring();
            ring.neg(d, d, size);
            for (long i = 0; i < size; i++)
            {
                d.setAtIndex(Ring.LONG, i, d.getAtIndex(Ring.LONG, i) + (logits.getAtIndex(Ring.LONG, i) << f));
            }
            b.addConstant(d, 1L << (2 * f), size);
        }
        final MemorySegment violated = data ? longs(arena, size) : null;
        final MemorySegment hinge = data ? longs(arena, size) : null;
        b.relu(d, hinge, violated, size);
        final MemorySegment counts = data ? longs(arena, size) : null;
        if (data)
        {
            broadcastRowSums(violated, counts, n, k);
        }
        final MemorySegment delta = data ? longs(arena, size) : null;
        b.hadamard(labels, counts, delta, size);
        if (!data)
        {
            return null;
        }
        long sum = 0;
        for (long i = 0; i < size; i++)
        {
            sum += hinge.getAtIndex(Ring.LONG, i);
            delta.setAtIndex(Ring.LONG, i, (violated.getAtIndex(Ring.LONG, i) << f) - delta.getAtIndex(Ring.LONG, i));
        }
        final MemorySegment margins = longs(arena, 1);
        b.addConstant(margins, (long)n << (2 * f), 1);
        lossOut[0] = sum - margins.getAtIndex(Ring.LONG, 0);
        return delta;
    }

    /** out[s][i] = Σ_j in[s][j] for every i of each of the n rows of k values. */
    private static void broadcastRowSums(final MemorySegment in, final MemorySegment out, final int n, final int k)
    {
        for (int s = 0; s < n; s++)
        {
            long sum = 0;
            for (int i = 0; i < k; i++)
            {
                sum += in.getAtIndex(Ring.LONG, (long)s * k + i);
            }
            for (int i = 0; i < k; i++)
            {
                out.setAtIndex(Ring.LONG, (long)s * k + i, sum);
            }
        }
    }

    /** δ = u − Y, local. */
    private static MemorySegment logitError(final RingBackend b, final Arena arena, final MemorySegment logits,
        final MemorySegment labels, final long size)
    {
        if (!b.holdsData())
        {
            return null;
        }
        final MemorySegment delta = longs(arena, size);
        b.kernels().ring().sub(logits, labels, delta, size);
        return delta;
    }

    /** W −= a_inᵀ·δ / 2^(f + s), b −= Σ_rows δ / 2^s; {@code in} and {@code error} are the factors of a_in and δ. */
    private static void update(final RingBackend b, final Arena arena, final NetworkSpec.Fc fc, final MemorySegment weights,
        final MemorySegment bias, final Factor in, final Factor error, final MemorySegment delta, final int n, final int f,
        final int shift,
        final MemorySegment weightVelocity, final MemorySegment biasVelocity, final int m)
    {
        final boolean data = b.holdsData();
        final long wSize = (long)fc.inputs() * fc.outputs();
        final MemorySegment grad = data ? longs(arena, wSize) : null;
        b.matmul(in, Transpose.YES, error, Transpose.NO, grad, fc.inputs(), n, fc.outputs());
        b.truncate(grad, f + shift, wSize);
        descend(b, arena, weights, grad, weightVelocity, wSize, m);
        final MemorySegment biasGrad = data ? longs(arena, fc.outputs()) : null;
        if (data)
        {
            final RingOps ring = b.kernels().ring();
            biasGrad.fill((byte)0);
            for (int s = 0; s < n; s++)
            {
                ring.add(biasGrad, delta.asSlice((long)s * fc.outputs() * Long.BYTES), biasGrad, fc.outputs());
            }
        }
        b.truncate(biasGrad, shift, fc.outputs());
        descend(b, arena, bias, biasGrad, biasVelocity, fc.outputs(), m);
    }

    /**
     * param −= step (plain SGD, m = 0), or with momentum μ = 1 − 2^−m: v ← v − v/2^m + step, param −= v. The decay
     * v/2^m is a truncation every party takes part in (P2 with null segments).
     */
    private static void descend(final RingBackend b, final Arena arena, final MemorySegment param, final MemorySegment step,
        final MemorySegment velocity, final long size, final int m)
    {
        final boolean data = b.holdsData();
        final RingOps ring = b.kernels().ring();
        if (m == 0)
        {
            if (data)
            {
                ring.sub(param, step, param, size);
            }
            return;
        }
        final MemorySegment decay = data ? longs(arena, size) : null;
        if (data)
        {
            decay.copyFrom(velocity);
        }
        b.truncate(decay, m, size);
        if (data)
        {
            ring.sub(velocity, decay, velocity, size);
            ring.add(velocity, step, velocity, size);
            ring.sub(param, velocity, param, size);
        }
    }

    private static MemorySegment momentum(final MemorySegment[] velocity, final int index)
    {
        return velocity == null ? null : velocity[index];
    }

    private static MemorySegment longs(final Arena arena, final long n)
    {
        return arena.allocate(Math.max(1, n) * Long.BYTES, 64).asSlice(0, n * Long.BYTES);
    }
}
