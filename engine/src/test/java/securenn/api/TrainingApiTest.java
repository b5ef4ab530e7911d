package securenn.api;

import org.junit.jupiter.api.Test;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.OutputLoss;
import securenn.train.EpochLoop;
import securenn.train.TrainingEngine;
import securenn.train.TwinTraining;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ThreeParties#train}: a secure run through the library face, against the fixed-point twin of the same plan. */
class TrainingApiTest
{
    private static final TrainingOptions OPTIONS = new TrainingOptions(4, 10, 7, 1, OutputLoss.HINGE, 3, 5);

    @Test
    void secureTrainingShouldLearnAsTheTwinDoesAndLeaveTheInitialSharesAlone() throws Exception
    {
        final Mnist sample = Mnist.sample();
        final PlainModel random = PlainModel.of(Model.random(NetworkSpec.builtIn("A"), 11));
        final ModelShares initial = random.split(FixedPoint.DEFAULT);
        final PlainModel before = initial.reconstruct();
        final List<Double> accuracies = new ArrayList<>();
        final ModelShares trained;
        try (ThreeParties parties = ThreeParties.inOneJvm())
        {
            trained = parties.train(initial, sample, sample, OPTIONS, (epoch, accuracy) ->
            {
                assertThat(epoch).isEqualTo(accuracies.size() + 1);
                accuracies.add(accuracy);
            });
        }
        assertThat(accuracies).hasSize(4);
        assertThat(trained.modelId()).as("a split of its own").isNotEqualTo(initial.modelId());
        assertThat(trained.network()).isEqualTo(initial.network());
        final Tensor images = before.inputs(sample, 0, 100);
        assertThat(initial.reconstruct().logits(images).values()).as("the initial shares")
            .containsExactly(before.logits(images).values());

        // the fixed-point twin of the same plan (its truncation carries differ: the secure run's keys are fresh)
        final double twin = twinAccuracy(initial, sample);
        assertThat(accuracies.get(3)).as("secure %s against twin %.2f", accuracies, twin).isGreaterThan(0.5)
            .isCloseTo(twin, org.assertj.core.data.Offset.offset(0.05));
        assertThat(trained.reconstruct().logits(images).argmax()).as("the returned shares are the trained model")
            .isNotEqualTo(before.logits(images).argmax());
    }

    private static double twinAccuracy(final ModelShares initial, final Mnist sample) throws Exception
    {
        final double[] last = new double[1];
        final ModelFile.SharedModel[] start = initial.both();
        try (Arena arena = Arena.ofConfined();
            TwinTraining twin = new TwinTraining(new ModelFile.SharedModel[]{start[0].copy(arena), start[1].copy(arena)}, 1,
                OPTIONS.plan().rule()))
        {
            EpochLoop.run(twin, null, 0, initial.network(), sample, sample, initial.encoding(), OPTIONS.plan(), 1,
                Integer.MAX_VALUE, new EpochLoop.Listener()
                {
                    @Override
                    public void epochEnd(final int epoch, final double accuracy, final TrainingEngine t)
                    {
                        last[0] = accuracy;
                    }
                });
        }
        return last[0];
    }

    @Test
    void badOptionsAndDataShouldBeRefusedNamingTheValue() throws Exception
    {
        assertThatThrownBy(() -> new TrainingOptions(0, 128, 7, 0, OutputLoss.ASM, 0, 1)).hasMessageContaining("epochs 0");
        assertThatThrownBy(() -> new TrainingOptions(1, 128, 7, 0, null, 0, 1)).hasMessageContaining("loss");
        assertThatThrownBy(() -> new TrainingOptions(1, 128, 7, 0, OutputLoss.ASM, 17, 1)).hasMessageContaining("17");
        final ModelShares shares = PlainModel.bundled().split(FixedPoint.DEFAULT);
        try (ThreeParties parties = ThreeParties.inOneJvm())
        {
            assertThatThrownBy(() -> parties.train(shares, Mnist.sample(), null, TrainingOptions.paper(1), null))
                .as("batch 128 from 100 images").hasMessageContaining("batch 128").hasMessageContaining("100 rows");
        }
    }
}
