package securenn.nn;

/**
 * The float twin of {@link RingTrainer}: the same SGD step in double precision — the same layers and layouts, maxpool
 * routing δ to the last maximum of each window, ReLU′(0) = 1, the same output errors ({@link OutputLoss}), the same
 * update W −= 2^−s·ΣdW with optional momentum μ = 1 − 2^−m, and relu-then-maxpool evaluated as maxpool-then-relu
 * (which routes δ differently at windows whose maximum is exactly 0 — common at MNIST's blank borders while biases
 * are 0). Comparing it with the fixed-point twin measures what fixed point costs in training.
 *
 * <p>Convolutions run as GEMMs over im2col columns, like the ring code. Plain Java loops over double arrays: a tool
 * for recipe studies and for the accuracy cost of fixed point, not a fast float trainer.
 */
public final class FloatTrainer
{
    private FloatTrainer()
    {
    }

    /** Zero velocities shaped like {@code params} (null without momentum). */
    public static double[][] velocity(final Sgd rule, final double[][] params)
    {
        if (!rule.hasMomentum())
        {
            return null;
        }
        final double[][] v = new double[params.length][];
        for (int t = 0; t < params.length; t++)
        {
            v[t] = new double[params[t].length];
        }
        return v;
    }

    /**
     * One step on n items; updates {@code params} (and {@code velocity}) in place and returns the batch's loss proxy
     * as the ring trainer defines it (Σ δ² for ASM and squared error, the hinge loss for hinge).
     *
     * @param y     n × outputs, one-hot
     * @param shift s: learning rate / batch size = 2^−s
     */
    public static double step(final NetworkSpec spec, final double[][] params, final double[] x, final double[] y, final int n,
        final int shift, final Sgd rule, final double[][] velocity)
    {
        final int layers = spec.layers().size();
        final double[][] inputs = new double[layers][];
        final double[][] saved = new double[layers][]; // im2col columns, ReLU′ or argmax index per layer
        final boolean[] swapped = new boolean[layers];
        double[] a = x;
        int p = 0;
        for (int l = 0; l < layers; l++)
        {
            inputs[l] = a;
            final NetworkSpec.Layer layer = spec.layers().get(l);
            if (layer instanceof NetworkSpec.Relu && l + 1 < layers && spec.layers().get(l + 1) instanceof NetworkSpec.MaxPool m)
            {
                saved[l + 1] = new double[n * m.out().size()];
                a = maxPool(m, a, saved[l + 1], n);
                saved[l] = new double[a.length];
                a = relu(a, saved[l]);
                swapped[l] = true;
                l++;
                continue;
            }
            switch (layer)
            {
                case NetworkSpec.Fc fc -> a = FloatNetwork.fc(fc, params[p++], params[p++], a, n);
                case NetworkSpec.Conv c ->
                {
                    saved[l] = im2col(c, a, n);
                    a = convForward(c, params[p++], params[p++], saved[l], n);
                }
                case NetworkSpec.Relu r ->
                {
                    saved[l] = new double[a.length];
                    a = relu(a, saved[l]);
                }
                case NetworkSpec.MaxPool m ->
                {
                    saved[l] = new double[n * m.out().size()];
                    a = maxPool(m, a, saved[l], n);
                }
            }
        }
        final int k = spec.output().size();
        final double[] loss = new double[1];
        double[] delta = outputError(rule.loss(), a, y, n, k, loss);
        final double scale = Math.scalb(1.0, -shift);
        for (int l = layers - 1; l >= 0; l--)
        {
            final NetworkSpec.Layer layer = spec.layers().get(l);
            switch (layer)
            {
                case NetworkSpec.Relu r ->
                {
                    for (int i = 0; !swapped[l] && i < delta.length; i++)
                    {
                        delta[i] *= saved[l][i];
                    }
                }
                case NetworkSpec.MaxPool m ->
                {
                    for (int i = 0; l > 0 && swapped[l - 1] && i < delta.length; i++)
                    {
                        delta[i] *= saved[l - 1][i];
                    }
                    delta = maxPoolBackward(m, delta, saved[l], n);
                }
                case NetworkSpec.Conv c ->
                {
                    final int bias = --p;
                    final int weights = --p;
                    delta = convBackward(c, params, weights, bias, saved[l], delta, n, l > 0, scale, rule, velocity);
                }
                case NetworkSpec.Fc fc ->
                {
                    final int bias = --p;
                    final int weights = --p;
                    delta = fcBackward(fc, params, weights, bias, inputs[l], delta, n, l > 0, scale, rule, velocity);
                }
            }
        }
        return loss[0];
    }

    /** δ at the output, and the loss proxy in {@code loss[0]}. */
    static double[] outputError(final OutputLoss kind, final double[] u, final double[] y, final int n, final int k,
        final double[] loss)
    {
        final double[] delta = new double[n * k];
        for (int s = 0; s < n; s++)
        {
            final int o = s * k;
            switch (kind)
            {
                case SQUARED ->
                {
                    for (int i = 0; i < k; i++)
                    {
                        delta[o + i] = u[o + i] - y[o + i];
                    }
                }
                case ASM ->
                {
                    double sum = 0x1p-13; // the ring's one ulp that keeps 0/0 at 0
                    for (int i = 0; i < k; i++)
                    {
                        sum += Math.max(0, u[o + i]);
                    }
                    for (int i = 0; i < k; i++)
                    {
                        delta[o + i] = Math.max(0, u[o + i]) / sum - y[o + i];
                    }
                }
                case HINGE ->
                {
                    double uy = 0;
                    for (int i = 0; i < k; i++)
                    {
                        uy += y[o + i] * u[o + i];
                    }
                    int violated = 0;
                    for (int i = 0; i < k; i++)
                    {
                        final double d = u[o + i] - uy + 1;
                        if (d >= 0)
                        {
                            violated++;
                            delta[o + i] = 1;
                            loss[0] += d;
                        }
                    }
                    loss[0] -= 1; // the label's own term is the margin
                    for (int i = 0; i < k; i++)
                    {
                        delta[o + i] -= y[o + i] * violated;
                    }
                }
            }
        }
        if (kind != OutputLoss.HINGE)
        {
            for (final double d : delta)
            {
                loss[0] += d * d;
            }
        }
        return delta;
    }

    /** (C·k·k) × (n·oh·ow) columns, patch rows ordered (channel, ky, kx) and columns (item, oy, ox). */
    static double[] im2col(final NetworkSpec.Conv c, final double[] x, final int n)
    {
        final double[] cols = new double[c.patchSize() * n * c.out().height() * c.out().width()];
        patches(c, n, x, cols, true);
        return cols;
    }

    /** The inverse layout of {@link #im2col}: every column entry added back into the input position it came from. */
    private static double[] col2im(final NetworkSpec.Conv c, final double[] cols, final int n)
    {
        final double[] x = new double[n * c.in().size()];
        patches(c, n, x, cols, false);
        return x;
    }

    /**
     * Visits every (input position, column entry) pair of a convolution's im2col layout: copies the input into the
     * columns when gathering, adds the columns back into the input (overlapping windows sum) otherwise.
     */
    private static void patches(final NetworkSpec.Conv c, final int n, final double[] x, final double[] cols,
        final boolean gather)
    {
        final NetworkSpec.Shape in = c.in();
        final NetworkSpec.Shape out = c.out();
        final int k = c.kernel();
        final int plane = out.height() * out.width();
        final int columns = n * plane;
        for (int ci = 0; ci < in.channels(); ci++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    final int row = ((ci * k + ky) * k + kx) * columns;
                    for (int s = 0; s < n; s++)
                    {
                        for (int oy = 0; oy < out.height(); oy++)
                        {
                            final int iy = oy * c.stride() + ky - c.padding();
                            if (iy < 0 || iy >= in.height())
                            {
                                continue;
                            }
                            for (int ox = 0; ox < out.width(); ox++)
                            {
                                final int ix = ox * c.stride() + kx - c.padding();
                                if (ix >= 0 && ix < in.width())
                                {
                                    final int at = ((s * in.channels() + ci) * in.height() + iy) * in.width() + ix;
                                    final int col = row + s * plane + oy * out.width() + ox;
                                    if (gather)
                                    {
                                        cols[col] = x[at];
                                    }
                                    else
                                    {
                                        x[at] += cols[col];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static double[] convForward(final NetworkSpec.Conv c, final double[] w, final double[] b, final double[] cols,
        final int n)
    {
        final int outC = c.out().channels();
        final int plane = c.out().height() * c.out().width();
        final int columns = n * plane;
        final int patch = c.patchSize();
        final double[] cm = new double[outC * columns];
        for (int co = 0; co < outC; co++)
        {
            final int row = co * columns;
            java.util.Arrays.fill(cm, row, row + columns, b[co]);
            for (int q = 0; q < patch; q++)
            {
                axpy(w[co * patch + q], cols, q * columns, cm, row, columns);
            }
        }
        final double[] y = new double[n * outC * plane];
        for (int co = 0; co < outC; co++)
        {
            for (int s = 0; s < n; s++)
            {
                System.arraycopy(cm, co * columns + s * plane, y, (s * outC + co) * plane, plane);
            }
        }
        return y;
    }

    private static double[] convBackward(final NetworkSpec.Conv c, final double[][] params, final int weights, final int bias,
        final double[] cols, final double[] delta, final int n, final boolean propagate, final double scale, final Sgd rule,
        final double[][] velocity)
    {
        final double[] w = params[weights];
        final int outC = c.out().channels();
        final int plane = c.out().height() * c.out().width();
        final int columns = n * plane;
        final int patch = c.patchSize();
        final double[] d = new double[outC * columns]; // δ channel-major
        for (int s = 0; s < n; s++)
        {
            for (int co = 0; co < outC; co++)
            {
                System.arraycopy(delta, (s * outC + co) * plane, d, co * columns + s * plane, plane);
            }
        }
        double[] in = null;
        if (propagate)
        {
            final double[] dcols = new double[patch * columns];
            for (int q = 0; q < patch; q++)
            {
                for (int co = 0; co < outC; co++)
                {
                    axpy(w[co * patch + q], d, co * columns, dcols, q * columns, columns);
                }
            }
            in = col2im(c, dcols, n);
        }
        final double[] gw = new double[outC * patch];
        final double[] gb = new double[outC];
        for (int co = 0; co < outC; co++)
        {
            for (int q = 0; q < patch; q++)
            {
                gw[co * patch + q] = dot(d, co * columns, cols, q * columns, columns);
            }
            double sum = 0;
            for (int i = 0; i < columns; i++)
            {
                sum += d[co * columns + i];
            }
            gb[co] = sum;
        }
        descend(params, velocity, weights, gw, scale, rule);
        descend(params, velocity, bias, gb, scale, rule);
        return in;
    }

    private static double[] fcBackward(final NetworkSpec.Fc fc, final double[][] params, final int weights, final int bias,
        final double[] x, final double[] delta, final int n, final boolean propagate, final double scale, final Sgd rule,
        final double[][] velocity)
    {
        final double[] w = params[weights];
        final int in = fc.inputs();
        final int out = fc.outputs();
        double[] dx = null;
        if (propagate)
        {
            dx = new double[n * in];
            for (int s = 0; s < n; s++)
            {
                for (int i = 0; i < in; i++)
                {
                    dx[s * in + i] = dot(delta, s * out, w, i * out, out);
                }
            }
        }
        final double[] gw = new double[in * out];
        final double[] gb = new double[out];
        for (int s = 0; s < n; s++)
        {
            for (int i = 0; i < in; i++)
            {
                axpy(x[s * in + i], delta, s * out, gw, i * out, out);
            }
            axpy(1, delta, s * out, gb, 0, out);
        }
        descend(params, velocity, weights, gw, scale, rule);
        descend(params, velocity, bias, gb, scale, rule);
        return dx;
    }

    /** max(0, x), with ReLU′ (1 for x ≥ 0, as DReLU gives) into {@code derivative}. */
    private static double[] relu(final double[] x, final double[] derivative)
    {
        final double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++)
        {
            derivative[i] = x[i] >= 0 ? 1 : 0;
            out[i] = Math.max(0, x[i]);
        }
        return out;
    }

        /** Maximum of each k×k window; {@code index} receives the position of its last maximum. */
    private static double[] maxPool(final NetworkSpec.MaxPool m, final double[] x, final double[] index, final int n)
    {
        final double[] y = new double[n * m.out().size()];
        final int k = m.kernel();
        final int[] at = new int[k * k];
        for (int g = 0; g < y.length; g++)
        {
            window(m, g, at);
            int best = 0;
            for (int i = 1; i < at.length; i++)
            {
                if (x[at[i]] >= x[at[best]])
                {
                    best = i;
                }
            }
            y[g] = x[at[best]];
            index[g] = best;
        }
        return y;
    }

    private static double[] maxPoolBackward(final NetworkSpec.MaxPool m, final double[] delta, final double[] index, final int n)
    {
        final double[] in = new double[n * m.in().size()];
        final int[] at = new int[m.kernel() * m.kernel()];
        for (int g = 0; g < delta.length; g++)
        {
            window(m, g, at);
            in[at[(int)index[g]]] = delta[g];
        }
        return in;
    }

    /** Positions in the NCHW input of window g (groups ordered item, channel, oy, ox), row by row. */
    private static void window(final NetworkSpec.MaxPool m, final int g, final int[] at)
    {
        final NetworkSpec.Shape in = m.in();
        final NetworkSpec.Shape out = m.out();
        final int k = m.kernel();
        final int ox = g % out.width();
        final int oy = g / out.width() % out.height();
        final int sc = g / (out.width() * out.height()); // item·channels + channel
        for (int ky = 0; ky < k; ky++)
        {
            for (int kx = 0; kx < k; kx++)
            {
                at[ky * k + kx] = (sc * in.height() + oy * k + ky) * in.width() + ox * k + kx;
            }
        }
    }

    /** param −= 2^−s·g, or with momentum v ← v − v·2^−m + 2^−s·g, param −= v. */
    private static void descend(final double[][] params, final double[][] velocity, final int t, final double[] g,
        final double scale, final Sgd rule)
    {
        final double[] p = params[t];
        if (!rule.hasMomentum())
        {
            axpy(-scale, g, 0, p, 0, p.length);
            return;
        }
        final double[] v = velocity[t];
        final double decay = Math.scalb(1.0, -rule.momentumShift());
        for (int i = 0; i < p.length; i++)
        {
            v[i] += scale * g[i] - v[i] * decay;
            p[i] -= v[i];
        }
    }

    private static void axpy(final double alpha, final double[] x, final int xo, final double[] y, final int yo, final int len)
    {
        if (alpha == 0)
        {
            return;
        }
        for (int i = 0; i < len; i++)
        {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    private static double dot(final double[] a, final int ao, final double[] b, final int bo, final int len)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4)
        {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < len; i++)
        {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
