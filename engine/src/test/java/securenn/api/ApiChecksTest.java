package securenn.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.nn.ModelFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The library face's guarantees that are not about the protocols: copies, equality, and errors that name the value. */
class ApiChecksTest
{
    private static final FixedPoint F = FixedPoint.DEFAULT;

    @Test
    void aSharedTensorShouldOwnACopyOfItsShare()
    {
        final MemorySegment mine = Arena.ofConfined().allocate(4 * 8);
        mine.setAtIndex(ValueLayout.JAVA_LONG, 0, 7);
        final SharedTensor t = new SharedTensor(Role.P0, new int[]{2, 2}, F, mine);
        mine.setAtIndex(ValueLayout.JAVA_LONG, 0, 8);
        assertThat(t.share().getAtIndex(ValueLayout.JAVA_LONG, 0)).as("the caller's later write").isEqualTo(7);
        assertThat(t.share().isReadOnly()).isTrue();
        assertThat(t).isEqualTo(new SharedTensor(Role.P0, new int[]{2, 2}, F, t.share()))
            .hasSameHashCodeAs(new SharedTensor(Role.P0, new int[]{2, 2}, F, t.share()));
        assertThat(t).isNotEqualTo(new SharedTensor(Role.P1, new int[]{2, 2}, F, t.share()));
        assertThat(t).isNotEqualTo(new SharedTensor(Role.P0, new int[]{1, 4}, F, t.share()));
    }

    @Test
    void aSharedTensorShouldRefuseBadShapesAndParties()
    {
        final MemorySegment s = Arena.ofAuto().allocate(8);
        assertThatThrownBy(() -> new SharedTensor(Role.P0, new int[]{-1, -1}, F, s)).hasMessageContaining("[-1, -1]");
        assertThatThrownBy(() -> new SharedTensor(Role.P0, new int[]{0, 1}, F, Arena.ofAuto().allocate(0)))
            .hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> new SharedTensor(Role.P2, new int[]{1, 1}, F, s)).hasMessageContaining("not P2");
        assertThatThrownBy(() -> new SharedTensor(null, new int[]{1, 1}, F, s)).hasMessageContaining("party null");
        assertThatThrownBy(() -> new SharedTensor(Role.P0, new int[]{1, 2}, F, s)).hasMessageContaining("holds 2 ring elements");
        assertThatThrownBy(() -> new SharedTensor(Role.P0, new int[]{1 << 30, 1 << 30, 2}, F, Arena.ofAuto().allocate(0)))
            .hasMessageContaining("holds 2305843009213693952 ring elements");
    }

    @Test
    void reconstructShouldRefuseMismatchedSharesAndInvertTheSplit()
    {
        final Tensor x = Tensor.rows(2, 3, new double[]{0, 0.5, -1, 2.25, 3, -0.125});
        final SharedTensor[] s = SharedTensor.split(x, F, SecretSplitter.seededForTwinChecks(3));
        assertThat(SharedTensor.reconstruct(s[0], s[1]).values()).containsExactly(x.values());
        assertThatThrownBy(() -> SharedTensor.reconstruct(s[1], s[0])).hasMessageContaining("not P1's and P0's");
        final SharedTensor[] other = SharedTensor.split(Tensor.rows(3, 2, x.values()), F);
        assertThatThrownBy(() -> SharedTensor.reconstruct(s[0], other[1])).hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
        assertThatThrownBy(() -> SharedTensor.split(Tensor.rows(1, 2, new double[]{1, Double.NaN}), F))
            .hasMessageContaining("element 1");
    }

    @Test
    void modelSharesShouldBeP0sAndP1sOfOneSplit(@TempDir final Path dir) throws Exception
    {
        final PlainModel model = PlainModel.bundled();
        final ModelShares a = model.split(F);
        final ModelShares b = model.split(F);
        final ModelFile.SharedModel[] sa = a.both();
        final ModelFile.SharedModel[] sb = b.both();
        assertThatThrownBy(() -> new ModelShares(new ModelFile.SharedModel[]{sa[1], sa[0]})).hasMessageContaining("of P1 then P0");
        assertThatThrownBy(() -> new ModelShares(new ModelFile.SharedModel[]{sa[0], sb[1]}))
            .hasMessageContaining(a.modelId()).hasMessageContaining(b.modelId());
        a.write(dir);
        Files.copy(dir.resolve("P0.shares"), dir.resolve("P1.shares"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> ModelShares.read(dir)).hasMessageContaining("P1.shares: party P0, but this file must hold P1's share");
    }

    @Test
    void tensorAccessShouldStayInsideTheTensor()
    {
        final Tensor t = Tensor.rows(2, 3, new double[6]);
        assertThatThrownBy(() -> t.get(0, 3)).hasMessageContaining("value 3 of row 0").hasMessageContaining("2 rows of 3 values");
        assertThatThrownBy(() -> t.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void inputsAndInferShouldNameWhatIsWrong() throws Exception
    {
        final PlainModel model = PlainModel.bundled();
        final Mnist sample = Mnist.sample();
        assertThatThrownBy(() -> model.inputs(sample, sample.count() - 1, 2))
            .hasMessageContaining("[" + (sample.count() - 1) + ", " + (sample.count() + 1) + ")")
            .hasMessageContaining(sample.count() + " images");
        final ModelShares shares = model.split(F);
        final SharedTensor[] x = SharedTensor.split(model.inputs(sample, 0, 2), F);
        final SharedTensor[] y = SharedTensor.split(model.inputs(sample, 0, 3), F);
        final SharedTensor[] coarse = SharedTensor.split(model.inputs(sample, 0, 2), new FixedPoint(10));
        try (ThreeParties parties = ThreeParties.inOneJvm())
        {
            assertThatThrownBy(() -> parties.infer(shares, new SharedTensor[]{x[1], x[0]})).hasMessageContaining("of P1 then P0");
            assertThatThrownBy(() -> parties.infer(shares, new SharedTensor[]{x[0]})).hasMessageContaining("got 1 shares");
            assertThatThrownBy(() -> parties.infer(shares, new SharedTensor[]{x[0], y[1]})).hasMessageContaining("[2, 784]")
                .hasMessageContaining("[3, 784]");
            assertThatThrownBy(() -> parties.infer(shares, new SharedTensor[]{x[0], new SharedTensor(Role.P1, x[1].shape(),
                new FixedPoint(10), x[1].share())})).hasMessageContaining("P1's input share is encoded with 10 fraction bits");
            assertThatThrownBy(() -> parties.infer(shares, coarse)).hasMessageContaining("P0's input share is encoded with 10");
        }
    }
}
