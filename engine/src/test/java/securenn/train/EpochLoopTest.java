package securenn.train;

import org.junit.jupiter.api.Test;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.OutputLoss;
import securenn.nn.Sgd;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one-JVM epoch loop as an embedder sees it: what the listener receives, and two equal runs staying equal. */
class EpochLoopTest
{
    @Test
    void theListenerShouldHearEveryReportAndEveryEpochAndTwoTwinsShouldAgree() throws Exception
    {
        final NetworkSpec spec = NetworkSpec.builtIn("A");
        final Mnist sample = Mnist.sample();
        final Sgd rule = new Sgd(OutputLoss.parse("hinge"), 3);
        final TrainingPlan plan = new TrainingPlan(2, 8, 7, 1, rule, 3, 0, 24); // 3 iterations per epoch
        final List<String> heard = new ArrayList<>();
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] start = ModelFile.split(Model.random(spec, 1), FixedPoint.DEFAULT, arena,
                SecretSplitter.fresh());
            try (TwinTraining a = new TwinTraining(start, 5, rule); TwinTraining b = new TwinTraining(start, 5, rule))
            {
                final long iterations = EpochLoop.run(a, b, 6, spec, sample, sample.head(16), FixedPoint.DEFAULT, plan, 1, 2,
                    new EpochLoop.Listener()
                    {
                        @Override
                        public void progress(final int epoch, final int iteration, final int perEpoch, final double loss,
                            final double imagesPerSecond, final double etaSeconds, final boolean twinIdenticalSoFar)
                        {
                            heard.add("progress " + epoch + "." + iteration + "/" + perEpoch + (twinIdenticalSoFar ? " same" : ""));
                        }

                        @Override
                        public void twinCheckPassed(final long n)
                        {
                            heard.add("twin " + n);
                        }

                        @Override
                        public void epochEnd(final int epoch, final double testAccuracy, final TrainingEngine trainer)
                        {
                            assertThat(testAccuracy).isBetween(0.0, 1.0);
                            heard.add("epoch " + epoch);
                        }
                    });
                assertThat(iterations).isEqualTo(6);
            }
        }
        assertThat(heard).containsExactly("progress 1.2/3 same", "progress 1.3/3 same", "epoch 1", "progress 2.2/3 same",
            "progress 2.3/3 same", "twin 6", "epoch 2");
    }

    /** Records the shift and batch size of every step; its parameters never change. */
    private static final class Recording implements TrainingEngine
    {
        final List<String> steps = new ArrayList<>();

        @Override
        public long step(final java.lang.foreign.MemorySegment images, final java.lang.foreign.MemorySegment labels,
            final int n, final int shift, final SecretSplitter owner)
        {
            steps.add(n + "@" + shift);
            return 0;
        }

        @Override
        public double accuracy(final Mnist test, final SecretSplitter client)
        {
            return 0.5;
        }

        @Override
        public ModelFile.SharedModel[] shares(final Arena arena, final SecretSplitter splitter)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.lang.foreign.MemorySegment[] plaintext(final Arena arena)
        {
            return new java.lang.foreign.MemorySegment[0];
        }

        @Override
        public void close()
        {
        }
    }

    @Test
    void theRateShouldHalveOnTheEpochsOfThePlanCountingFromTheStartEpoch() throws Exception
    {
        final Sgd rule = new Sgd(OutputLoss.parse("hinge"), 0);
        final TrainingPlan plan = new TrainingPlan(2, 8, 7, 2, rule, 3, 0, 16); // 2 iterations per epoch, halving every 2
        final Recording fresh = new Recording();
        EpochLoop.run(fresh, null, 0, NetworkSpec.builtIn("A"), Mnist.sample(), Mnist.sample(), FixedPoint.DEFAULT, plan, 1, 1,
            new EpochLoop.Listener() { });
        assertThat(fresh.steps).as("rate 2^-7 / batch 8 = 2^-10 in epochs 1 and 2").containsExactly("8@10", "8@10", "8@10", "8@10");
        final Recording resumed = new Recording();
        EpochLoop.run(resumed, null, 0, NetworkSpec.builtIn("A"), Mnist.sample(), Mnist.sample(), FixedPoint.DEFAULT, plan, 2, 1,
            new EpochLoop.Listener() { });
        assertThat(resumed.steps).as("epochs 2 and 3: halved in the second").containsExactly("8@10", "8@10", "8@11", "8@11");
    }

    @Test
    void aTwinThatDiffersShouldStopTheRunAtTheFirstStep() throws Exception
    {
        final NetworkSpec spec = NetworkSpec.builtIn("A");
        final Sgd rule = new Sgd(OutputLoss.parse("hinge"), 0);
        final TrainingPlan plan = new TrainingPlan(1, 8, 7, 0, rule, 3, 0, 16);
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] start = ModelFile.split(Model.random(spec, 1), FixedPoint.DEFAULT, arena,
                SecretSplitter.fresh());
            try (TwinTraining a = new TwinTraining(start, 5, rule); TwinTraining b = new TwinTraining(start, 6, rule))
            {
                assertThatThrownBy(() -> EpochLoop.run(a, b, 2, spec, Mnist.sample(), Mnist.sample(), FixedPoint.DEFAULT, plan,
                    1, 1, new EpochLoop.Listener() { })).hasMessageContaining("twin check failed after iteration 1");
            }
        }
    }

    @Test
    void badArgumentsShouldBeRefusedNamingThem()
    {
        final Sgd rule = new Sgd(OutputLoss.parse("hinge"), 0);
        final TrainingPlan plan = new TrainingPlan(1, 8, 7, 0, rule, 3, 0, 8);
        assertThatThrownBy(() -> EpochLoop.run(null, null, 1, NetworkSpec.builtIn("A"), Mnist.sample(), Mnist.sample(),
            FixedPoint.DEFAULT, plan, 1, 1, new EpochLoop.Listener() { })).hasMessageContaining("verify 1");
        assertThatThrownBy(() -> EpochLoop.run(null, null, 0, NetworkSpec.builtIn("A"), Mnist.sample(), Mnist.sample(),
            FixedPoint.DEFAULT, plan, 0, 1, new EpochLoop.Listener() { })).hasMessageContaining("start epoch 0");
    }
}
