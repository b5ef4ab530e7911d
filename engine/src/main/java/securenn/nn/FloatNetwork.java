package securenn.nn;

import securenn.data.Mnist;

import java.util.SplittableRandom;

/**
 * The float twin: the same network in double precision, to measure what fixed point costs in accuracy, and plain
 * SGD with softmax cross-entropy for fully connected networks (how the bundled demo model was trained).
 * Activations are NCHW per batch, as in the ring twin.
 */
public final class FloatNetwork
{
    private FloatNetwork()
    {
    }

    /** Logits (n × outputs) for n items of input (n × input size). */
    public static double[] forward(final Model model, final double[] input, final int n)
    {
        return forward(model, input, n, null);
    }

    /** Forward pass keeping every layer's output in {@code trace} (trace[l] = output of layer l) when not null. */
    static double[] forward(final Model model, final double[] input, final int n, final double[][] trace)
    {
        double[] x = input;
        int p = 0;
        int l = 0;
        for (final NetworkSpec.Layer layer : model.spec().layers())
        {
            x = switch (layer)
            {
                case NetworkSpec.Fc fc -> fc(fc, model.params()[p++], model.params()[p++], x, n);
                case NetworkSpec.Conv c -> conv(c, model.params()[p++], model.params()[p++], x, n);
                case NetworkSpec.Relu r -> relu(x);
                case NetworkSpec.MaxPool m -> maxPool(m, x, n);
            };
            if (trace != null)
            {
                trace[l] = x;
            }
            l++;
        }
        return x;
    }

    static double[] fc(final NetworkSpec.Fc fc, final double[] w, final double[] b, final double[] x, final int n)
    {
        final int in = fc.inputs();
        final int out = fc.outputs();
        final double[] y = new double[n * out];
        for (int s = 0; s < n; s++)
        {
            System.arraycopy(b, 0, y, s * out, out);
            for (int i = 0; i < in; i++)
            {
                final double xi = x[s * in + i];
                if (xi != 0)
                {
                    for (int o = 0; o < out; o++)
                    {
                        y[s * out + o] += xi * w[i * out + o];
                    }
                }
            }
        }
        return y;
    }

    static double[] conv(final NetworkSpec.Conv c, final double[] w, final double[] b, final double[] x, final int n)
    {
        final NetworkSpec.Shape in = c.in();
        final NetworkSpec.Shape out = c.out();
        final double[] y = new double[n * out.size()];
        for (int s = 0; s < n; s++)
        {
            for (int co = 0; co < out.channels(); co++)
            {
                for (int oy = 0; oy < out.height(); oy++)
                {
                    for (int ox = 0; ox < out.width(); ox++)
                    {
                        double sum = b[co];
                        for (int ci = 0; ci < in.channels(); ci++)
                        {
                            for (int ky = 0; ky < c.kernel(); ky++)
                            {
                                final int iy = oy * c.stride() + ky - c.padding();
                                if (iy < 0 || iy >= in.height())
                                {
                                    continue;
                                }
                                for (int kx = 0; kx < c.kernel(); kx++)
                                {
                                    final int ix = ox * c.stride() + kx - c.padding();
                                    if (ix >= 0 && ix < in.width())
                                    {
                                        sum += w[((co * in.channels() + ci) * c.kernel() + ky) * c.kernel() + kx]
                                            * x[((s * in.channels() + ci) * in.height() + iy) * in.width() + ix];
                                    }
                                }
                            }
                        }
                        y[((s * out.channels() + co) * out.height() + oy) * out.width() + ox] = sum;
                    }
                }
            }
        }
        return y;
    }

    static double[] relu(final double[] x)
    {
        final double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++)
        {
            y[i] = Math.max(0, x[i]);
        }
        return y;
    }

    static double[] maxPool(final NetworkSpec.MaxPool m, final double[] x, final int n)
    {
        final NetworkSpec.Shape in = m.in();
        final NetworkSpec.Shape out = m.out();
        final double[] y = new double[n * out.size()];
        for (int s = 0; s < n; s++)
        {
            for (int c = 0; c < out.channels(); c++)
            {
                for (int oy = 0; oy < out.height(); oy++)
                {
                    for (int ox = 0; ox < out.width(); ox++)
                    {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < m.kernel(); ky++)
                        {
                            for (int kx = 0; kx < m.kernel(); kx++)
                            {
                                best = Math.max(best, x[((s * in.channels() + c) * in.height() + oy * m.kernel() + ky) * in.width()
                                    + ox * m.kernel() + kx]);
                            }
                        }
                        y[((s * out.channels() + c) * out.height() + oy) * out.width() + ox] = best;
                    }
                }
            }
        }
        return y;
    }

    /** Index of the largest of each row of {@code logits} (n rows of k). */
    public static int[] argmax(final double[] logits, final int n, final int k)
    {
        final int[] out = new int[n];
        for (int s = 0; s < n; s++)
        {
            int best = 0;
            for (int i = 1; i < k; i++)
            {
                if (logits[s * k + i] > logits[s * k + best])
                {
                    best = i;
                }
            }
            out[s] = best;
        }
        return out;
    }

    /** Images [from, from + n) of a dataset as input in [0, 1] (pixel / 255) for networks without preprocessing. */
    public static double[] images(final Mnist data, final int from, final int n)
    {
        return Preprocessing.PIXELS.apply(data, from, n);
    }

    /** Images [from, from + n) of a dataset as input to network {@code spec}, by its {@link Preprocessing}. */
    public static double[] images(final NetworkSpec spec, final Mnist data, final int from, final int n)
    {
        return spec.preprocessing().apply(data, from, n);
    }

    /** Fraction of the dataset's images classified correctly. */
    public static double accuracy(final Model model, final Mnist data)
    {
        int correct = 0;
        final int batch = 100;
        final int k = model.spec().output().size();
        for (int from = 0; from < data.count(); from += batch)
        {
            final int n = Math.min(batch, data.count() - from);
            final int[] pred = argmax(forward(model, images(model.spec(), data, from, n), n), n, k);
            for (int s = 0; s < n; s++)
            {
                correct += pred[s] == data.label(from + s) ? 1 : 0;
            }
        }
        return (double)correct / data.count();
    }

    /**
     * Mini-batch SGD with softmax cross-entropy for networks of fc and relu layers, updating {@code model} in place.
     *
     * @param progress called after each epoch with (epoch, training loss)
     */
    public static void train(final Model model, final Mnist data, final int epochs, final int batch, final double rate,
        final long seed, final java.util.function.ObjIntConsumer<Double> progress)
    {
        for (final NetworkSpec.Layer l : model.spec().layers())
        {
            if (!(l instanceof NetworkSpec.Fc) && !(l instanceof NetworkSpec.Relu))
            {
                throw new IllegalArgumentException("float training supports fc and relu layers; " + model.spec().name()
                    + " has " + l.getClass().getSimpleName());
            }
        }
        // the model owner's own plaintext training: only the batch order is drawn, so a seeded generator is fine
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int[] order = new int[data.count()];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        final int k = model.spec().output().size();
        final int layers = model.spec().layers().size();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            for (int i = order.length - 1; i > 0; i--)
            {
                final int j = rnd.nextInt(i + 1);
                final int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double loss = 0;
            for (int from = 0; from + batch <= order.length; from += batch)
            {
                final double[] x = new double[batch * data.imageSize()];
                final int[] labels = new int[batch];
                for (int s = 0; s < batch; s++)
                {
                    for (int p = 0; p < data.imageSize(); p++)
                    {
                        x[s * data.imageSize() + p] = data.pixel(order[from + s], p);
                    }
                    labels[s] = data.label(order[from + s]);
                }
                final double[][] trace = new double[layers][];
                final double[] logits = forward(model, x, batch, trace);
                final double[] grad = new double[logits.length];
                for (int s = 0; s < batch; s++)
                {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < k; i++)
                    {
                        max = Math.max(max, logits[s * k + i]);
                    }
                    double z = 0;
                    for (int i = 0; i < k; i++)
                    {
                        z += Math.exp(logits[s * k + i] - max);
                    }
                    for (int i = 0; i < k; i++)
                    {
                        final double prob = Math.exp(logits[s * k + i] - max) / z;
                        grad[s * k + i] = (prob - (i == labels[s] ? 1 : 0)) / batch;
                    }
                    loss -= logits[s * k + labels[s]] - max - Math.log(z);
                }
                backward(model, x, trace, grad, batch, rate);
            }
            if (progress != null)
            {
                progress.accept(loss / order.length, epoch);
            }
        }
    }

    private static void backward(final Model model, final double[] input, final double[][] trace, final double[] gradOut,
        final int n, final double rate)
    {
        double[] grad = gradOut;
        int p = model.params().length;
        for (int l = model.spec().layers().size() - 1; l >= 0; l--)
        {
            final NetworkSpec.Layer layer = model.spec().layers().get(l);
            final double[] x = l == 0 ? input : trace[l - 1];
            if (layer instanceof NetworkSpec.Relu)
            {
                final double[] g = new double[grad.length];
                for (int i = 0; i < g.length; i++)
                {
                    g[i] = x[i] > 0 ? grad[i] : 0;
                }
                grad = g;
                continue;
            }
            final NetworkSpec.Fc fc = (NetworkSpec.Fc)layer;
            final double[] b = model.params()[--p];
            final double[] w = model.params()[--p];
            final int in = fc.inputs();
            final int out = fc.outputs();
            final double[] gx = new double[n * in];
            for (int s = 0; s < n; s++)
            {
                for (int i = 0; i < in; i++)
                {
                    double acc = 0;
                    for (int o = 0; o < out; o++)
                    {
                        acc += grad[s * out + o] * w[i * out + o];
                    }
                    gx[s * in + i] = acc;
                }
            }
            for (int s = 0; s < n; s++)
            {
                for (int o = 0; o < out; o++)
                {
                    b[o] -= rate * grad[s * out + o];
                }
                for (int i = 0; i < in; i++)
                {
                    final double xi = x[s * in + i];
                    if (xi != 0)
                    {
                        for (int o = 0; o < out; o++)
                        {
                            w[i * out + o] -= rate * xi * grad[s * out + o];
                        }
                    }
                }
            }
            grad = gx;
        }
    }
}
