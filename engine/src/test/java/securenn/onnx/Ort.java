package securenn.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.nn.Model;
import securenn.nn.PlainRingBackend;
import securenn.nn.RingNetwork;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** ONNX Runtime (the reference) and our fixed-point twin, run on the same inputs, for the ONNX tests. */
final class Ort
{
    private Ort()
    {
    }

    /** Logits (n × outputs) of ONNX Runtime on {@code file} for n inputs of shape {@code dims} (batch first). */
    static double[] run(final Path file, final double[] x, final long... dims) throws OrtException
    {
        try (Runner r = new Runner(file))
        {
            return r.run(x, dims);
        }
    }

    /** One ONNX Runtime session (one thread), for many runs. */
    static final class Runner implements AutoCloseable
    {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;

        Runner(final Path file) throws OrtException
        {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions())
            {
                options.setIntraOpNumThreads(1);
                session = env.createSession(file.toString(), options);
            }
        }

        double[] run(final double[] x, final long... dims) throws OrtException
        {
            final float[] f = new float[x.length];
            for (int i = 0; i < f.length; i++)
            {
                f[i] = (float)x[i];
            }
            final String input = session.getInputNames().iterator().next();
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), dims);
                 OrtSession.Result r = session.run(Map.of(input, t)))
            {
                final float[][] y = (float[][])r.get(0).getValue();
                final double[] out = new double[y.length * y[0].length];
                for (int s = 0; s < y.length; s++)
                {
                    for (int k = 0; k < y[s].length; k++)
                    {
                        out[s * y[s].length + k] = y[s][k];
                    }
                }
                return out;
            }
        }

        @Override
        public void close() throws OrtException
        {
            session.close();
        }
    }

    /** Softmax of each row of logits (n rows of k), in double. */
    static double[] softmax(final double[] logits, final int k)
    {
        final double[] p = new double[logits.length];
        for (int s = 0; s < logits.length / k; s++)
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
                p[s * k + i] = Math.exp(logits[s * k + i] - max) / z;
            }
        }
        return p;
    }

    /** Logits of the fixed-point twin (plaintext ring backend, default fraction bits), decoded. */
    static double[] ring(final Model model, final double[] x, final int n)
    {
        final FixedPoint fp = FixedPoint.DEFAULT;
        final int k = model.spec().output().size();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment[] params = model.fixedPoint(fp, arena);
            final MemorySegment in = arena.allocate(x.length * 8L, 64);
            for (int i = 0; i < x.length; i++)
            {
                in.setAtIndex(Ring.LONG, i, fp.encode(x[i]));
            }
            final MemorySegment out = arena.allocate((long)n * k * 8, 64);
            RingNetwork.forward(new PlainRingBackend(Kernels.best()), model.spec(), params, in, out, n, fp.fractionBits());
            final double[] y = new double[n * k];
            for (int i = 0; i < y.length; i++)
            {
                y[i] = fp.decode(out.getAtIndex(Ring.LONG, i));
            }
            return y;
        }
    }

    /** The gap between the largest and second largest logit of item s, relative to the largest magnitude. */
    static double margin(final double[] logits, final int s, final int k)
    {
        final double[] row = java.util.Arrays.copyOfRange(logits, s * k, s * k + k);
        double scale = 1e-12;
        for (final double v : row)
        {
            scale = Math.max(scale, Math.abs(v));
        }
        java.util.Arrays.sort(row);
        return (row[k - 1] - row[k - 2]) / scale;
    }

    /** Largest |a − b| over each row, relative to that row's largest |b|. */
    static double maxRelative(final double[] a, final double[] b, final int k)
    {
        double worst = 0;
        for (int s = 0; s < a.length / k; s++)
        {
            double scale = 1e-12;
            double diff = 0;
            for (int i = 0; i < k; i++)
            {
                scale = Math.max(scale, Math.abs(b[s * k + i]));
                diff = Math.max(diff, Math.abs(a[s * k + i] - b[s * k + i]));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }
}
