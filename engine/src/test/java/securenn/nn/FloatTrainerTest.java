package securenn.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import securenn.data.Mnist;
import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The float trainer takes the fixed-point twin's step in double precision: from the same model on the same batches,
 * their parameters stay within fixed point's rounding after several steps, for every output error and with momentum.
 * 20 fraction bits keep the twin's own rounding far below the tolerance.
 */
class FloatTrainerTest
{
    @ParameterizedTest(name = "{0}, {1}, momentum shift {2}")
    @CsvSource({"small-cnn, HINGE, 0", "small-cnn, SQUARED, 3", "small-cnn, ASM, 0", "A, HINGE, 3", "two-conv, HINGE, 0"})
    void floatStepShouldTrackTheFixedPointTwin(final String network, final OutputLoss loss, final int momentum) throws Exception
    {
        final NetworkSpec spec = network.equals("A") ? NetworkSpec.builtIn("A")
            : NetworkSpec.parse(network, network.equals("small-cnn") ? TrainingTest.SMALL_CNN : GradientCheckTest.TWO_CONV);
        final Sgd rule = new Sgd(loss, momentum);
        final FixedPoint fp = new FixedPoint(20);
        final Model model = Model.random(spec, 17);
        final Mnist sample = Mnist.sample();
        final int batch = 8;
        final int shift = 9;
        final double[][] floats = new double[model.params().length][];
        for (int t = 0; t < floats.length; t++)
        {
            floats[t] = model.params()[t].clone();
        }
        final double[][] floatVelocity = FloatTrainer.velocity(rule, floats);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment[] ring = new MemorySegment[floats.length];
            for (int t = 0; t < floats.length; t++)
            {
                ring[t] = arena.allocate(Math.max(1, floats[t].length) * 8L).asSlice(0, floats[t].length * 8L);
                for (int i = 0; i < floats[t].length; i++)
                {
                    ring[t].setAtIndex(Ring.LONG, i, fp.encode(floats[t][i]));
                }
            }
            final MemorySegment[] ringVelocity = rule.velocity(spec, true, arena);
            final PlainRingBackend twin = new PlainRingBackend(Kernels.best());
            for (int step = 0; step < 4; step++)
            {
                final double[] x = FloatNetwork.images(sample, step * batch, batch);
                final double[] y = new double[batch * 10];
                final MemorySegment rx = arena.allocate(x.length * 8L);
                final MemorySegment ry = arena.allocate(y.length * 8L);
                for (int i = 0; i < x.length; i++)
                {
                    rx.setAtIndex(Ring.LONG, i, fp.encode(x[i]));
                }
                for (int s = 0; s < batch; s++)
                {
                    y[s * 10 + sample.label(step * batch + s)] = 1;
                    ry.setAtIndex(Ring.LONG, s * 10 + sample.label(step * batch + s), fp.encode(1));
                }
                final double floatLoss = FloatTrainer.step(spec, floats, x, y, batch, shift, rule, floatVelocity);
                final long ringLoss = RingTrainer.step(twin, spec, ring, rx, ry, batch, fp.fractionBits(), shift, rule, ringVelocity);
                assertThat(floatLoss).as("step %d loss", step)
                    .isCloseTo(Math.scalb((double)ringLoss, -2 * fp.fractionBits()), org.assertj.core.data.Offset.offset(1e-3 + 1e-3 * Math.abs(floatLoss)));
            }
            double worst = 0;
            double largest = 0;
            for (int t = 0; t < floats.length; t++)
            {
                for (int i = 0; i < floats[t].length; i++)
                {
                    final double r = fp.decode(ring[t].getAtIndex(Ring.LONG, i));
                    worst = Math.max(worst, Math.abs(r - floats[t][i]));
                    largest = Math.max(largest, Math.abs(floats[t][i] - model.params()[t][i]));
                }
            }
            assertThat(largest).as("the parameters moved").isGreaterThan(1e-3);
            assertThat(worst).as("largest parameter difference float vs fixed point (largest update %.4g)", largest)
                .isLessThan(1e-4);
        }
    }
}
