package securenn.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import securenn.data.Idx;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model, share and IDX files: round trips, and a clear error for every kind of bad file. */
class FilesTest
{
    @TempDir
    Path dir;

    @Test
    void modelAndSharesShouldRoundTrip() throws Exception
    {
        final Model model = Model.random(NetworkSpec.builtIn("B"), 3);
        final Path file = dir.resolve("B.model");
        ModelFile.write(file, model);
        final Model back = ModelFile.read(file);
        assertThat(back.spec().describe()).isEqualTo(model.spec().describe());
        for (int t = 0; t < model.params().length; t++)
        {
            assertThat(back.params()[t]).containsExactly(model.params()[t]);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(1));
            ModelFile.writeShares(dir.resolve("P0.shares"), shares[0]);
            ModelFile.writeShares(dir.resolve("P1.shares"), shares[1]);
            final ModelFile.SharedModel s0 = ModelFile.readShares(dir.resolve("P0.shares"), arena);
            final ModelFile.SharedModel s1 = ModelFile.readShares(dir.resolve("P1.shares"), arena);
            assertThat(s0.modelId()).isEqualTo(s1.modelId()).matches("[0-9a-f]{32}");
            assertThat(s1.party().name()).isEqualTo("P1");
            for (int t = 0; t < model.params().length; t++)
            {
                for (int i = 0; i < model.params()[t].length; i++)
                {
                    final long sum = s0.params()[t].getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i)
                        + s1.params()[t].getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
                    assertThat(sum).isEqualTo(FixedPoint.DEFAULT.encode(model.params()[t][i]));
                }
            }
        }
    }

    @Test
    void badModelFilesShouldFailNamingTheCause() throws Exception
    {
        final Model model = Model.random(NetworkSpec.builtIn("A"), 3);
        final Path good = dir.resolve("A.model");
        ModelFile.write(good, model);
        final byte[] bytes = Files.readAllBytes(good);

        final Path truncated = dir.resolve("truncated.model");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> ModelFile.read(truncated)).isInstanceOf(IOException.class).hasMessageContaining("truncated in tensor 4");

        final Path magic = dir.resolve("magic.model");
        Files.writeString(magic, "PK\u0003\u0004 not a model\n");
        assertThatThrownBy(() -> ModelFile.read(magic)).hasMessageContaining("not a securenn file of this kind");

        final Path wrongNet = dir.resolve("net.model");
        Files.write(wrongNet, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replaceFirst("fc 128", "fc 127")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ModelFile.read(wrongNet)).hasMessageContaining("tensor 0 holds 100352 values but the network needs 99568");

        final Path extra = dir.resolve("extra.model");
        Files.write(extra, Arrays.copyOf(bytes, bytes.length + 3));
        assertThatThrownBy(() -> ModelFile.read(extra)).hasMessageContaining("unexpected bytes after the last tensor");

        try (Arena arena = Arena.ofConfined())
        {
            assertThatThrownBy(() -> ModelFile.readShares(good, arena)).hasMessageContaining("expected 'SECURENN-SHARES 2'");
        }
    }

    @Test
    void everySplitShouldDrawAFreshRandomModelId()
    {
        final Model model = Model.random(NetworkSpec.builtIn("A"), 3);
        try (Arena arena = Arena.ofConfined())
        {
            final String one = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.fresh())[0].modelId();
            final String two = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.fresh())[0].modelId();
            assertThat(one).matches("[0-9a-f]{32}").isNotEqualTo(two);
        }
    }

    @Test
    void shouldRefuseVersion1ShareFilesAsLeaked() throws Exception
    {
        final Model model = Model.random(NetworkSpec.builtIn("A"), 3);
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(2));
            final Path p0 = dir.resolve("P0.shares");
            final Path p1 = dir.resolve("P1.shares");
            ModelFile.writeShares(p0, shares[0]);
            ModelFile.writeShares(p1, shares[1]);
            final String sha = "ab".repeat(32); // version 1 carried the plaintext's SHA-256 here
            for (final Path file : new Path[]{p0, p1})
            {
                final byte[] bytes = Files.readAllBytes(file);
                Files.write(file, new String(bytes, StandardCharsets.ISO_8859_1).replaceFirst("SECURENN-SHARES 2", "SECURENN-SHARES 1")
                    .replaceFirst("model-id [0-9a-f]{32}", "model-id " + sha).getBytes(StandardCharsets.ISO_8859_1));
            }
            assertThatThrownBy(() -> ModelFile.readShares(p1, arena)).isInstanceOf(IOException.class)
                .hasMessageContaining(p1.toString()).hasMessageContaining("share file version 1")
                .hasMessageContaining("treated as leaked").hasMessageContaining("model-id field")
                .hasMessageContaining("securenn share");
            // the model owner may still recover the model from such files, to split it again
            final Model back = ModelFile.reconstruct(ModelFile.readShares(p0, arena, true), ModelFile.readShares(p1, arena, true));
            assertThat(back.params()[0][0]).isCloseTo(model.params()[0][0], org.assertj.core.api.Assertions.within(1e-3));
        }
    }

    @Test
    void shouldRefuseAShareFileWhoseModelIdIsNotARandomId() throws Exception
    {
        final Model model = Model.random(NetworkSpec.builtIn("A"), 3);
        try (Arena arena = Arena.ofConfined())
        {
            final Path file = dir.resolve("P0.shares");
            ModelFile.writeShares(file, ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(2))[0]);
            final byte[] bytes = Files.readAllBytes(file);
            Files.write(file, new String(bytes, StandardCharsets.ISO_8859_1).replaceFirst("model-id [0-9a-f]{32}", "model-id " + "cd".repeat(32))
                .getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(() -> ModelFile.readShares(file, arena)).hasMessageContaining(file.toString())
                .hasMessageContaining("model-id 'cdcd").hasMessageContaining("32 lowercase hex digits");
        }
    }

    @Test
    void shouldRejectNonFiniteWeightsNamingFileTensorAndElement() throws Exception
    {
        final NetworkSpec spec = NetworkSpec.builtIn("A");
        final Path good = dir.resolve("A.model");
        ModelFile.write(good, Model.random(spec, 3));
        final byte[] bytes = Files.readAllBytes(good);
        final int data = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("tensors 6\n") + "tensors 6\n".length();
        final int tensor2 = data + 8 + 8 * (int)spec.layers().getFirst().parameterSizes()[0] + 8 + 8 * 128 + 8;
        final double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (final double v : bad)
        {
            final byte[] copy = bytes.clone();
            java.nio.ByteBuffer.wrap(copy).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(tensor2 + 8 * 5, v);
            final Path file = dir.resolve("bad.model");
            Files.write(file, copy);
            assertThatThrownBy(() -> ModelFile.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": tensor 2 (weights of layer 3, fc 128) element 5 is " + v + "; a model holds finite values only");
        }
        final Model model = Model.random(spec, 3);
        model.params()[4][7] = Double.NaN;
        try (Arena arena = Arena.ofConfined())
        {
            assertThatThrownBy(() -> ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.fresh()))
                .hasMessage("network A, tensor 4 (weights of layer 5, fc 10) element 7: NaN cannot be encoded in fixed point");
        }
        assertThatThrownBy(() -> ModelFile.write(dir.resolve("nan.model"), model)).isInstanceOf(IOException.class)
            .hasMessageContaining("nan.model: tensor 4 (weights of layer 5, fc 10) element 7 is NaN");
        assertThat(dir.resolve("nan.model")).doesNotExist();
        assertThatThrownBy(() -> FixedPoint.DEFAULT.encode(Double.NaN)).hasMessage("NaN cannot be encoded in fixed point");
    }

    @Test
    void idxFilesShouldRoundTripAndRejectBadOnes() throws Exception
    {
        final Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
        final Path labels = dir.resolve("t10k-labels-idx1-ubyte");
        final byte[] pixels = new byte[3 * 4 * 5];
        new SplittableRandom(1).nextBytes(pixels);
        Idx.write(images, new Idx.Array(new int[]{3, 4, 5}, pixels));
        Idx.write(labels, new Idx.Array(new int[]{3}, new byte[]{7, 0, 9}));
        final Mnist m = Mnist.load(dir, Mnist.Split.TEST);
        assertThat(m.count()).isEqualTo(3);
        assertThat(m.pixels()).containsExactly(pixels);
        assertThat(m.label(2)).isEqualTo(9);

        Idx.write(labels, new Idx.Array(new int[]{2}, new byte[]{7, 0}));
        assertThatThrownBy(() -> Mnist.load(dir, Mnist.Split.TEST)).hasMessageContaining("3 images but 2 labels");

        Idx.write(labels, new Idx.Array(new int[]{3}, new byte[]{7, 0, 12}));
        assertThatThrownBy(() -> Mnist.load(dir, Mnist.Split.TEST)).hasMessageContaining("label 12 is not a digit");

        final byte[] raw = Files.readAllBytes(dir.resolve("t10k-labels-idx1-ubyte"));
        Files.write(labels, Arrays.copyOf(raw, raw.length - 1));
        assertThatThrownBy(() -> Idx.read(labels)).hasMessageContaining("truncated").hasMessageContaining("promises 3 bytes");

        Files.write(labels, new byte[]{0, 0, 0x0D, 1, 0, 0, 0, 1, 5});
        assertThatThrownBy(() -> Idx.read(labels)).hasMessageContaining("not an unsigned-byte IDX file (magic 0xd01");

        assertThatThrownBy(() -> Mnist.load(dir.resolve("nowhere"), Mnist.Split.TRAIN))
            .hasMessageContaining("neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte found");
    }

    @Test
    void tensorShareFilesShouldRoundTripAndRejectBadOnes(@org.junit.jupiter.api.io.TempDir final Path tmp) throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment data = arena.allocate(8L * 6);
            for (int i = 0; i < 6; i++)
            {
                data.setAtIndex(securenn.kernels.Ring.LONG, i, -i * 1_000_000_007L);
            }
            final Path f = tmp.resolve("P1.input");
            InputShares.write(f, new InputShares(securenn.mpc.Role.P1, "A", "input", 2, 3, data));
            final InputShares back = InputShares.read(f, arena);
            assertThat(back.party()).isEqualTo(securenn.mpc.Role.P1);
            assertThat(back.count()).isEqualTo(2);
            assertThat(back.data().mismatch(data)).isEqualTo(-1);
            final byte[] bytes = java.nio.file.Files.readAllBytes(f);
            java.nio.file.Files.write(tmp.resolve("short"), java.util.Arrays.copyOf(bytes, bytes.length - 5));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputShares.read(tmp.resolve("short"), arena))
                .hasMessageContaining("truncated: 2×3 values declared");
            java.nio.file.Files.write(tmp.resolve("long"), java.util.Arrays.copyOf(bytes, bytes.length + 1));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputShares.read(tmp.resolve("long"), arena))
                .hasMessageContaining("trailing bytes");
            java.nio.file.Files.writeString(tmp.resolve("magic"), "SECURENN-MODEL\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputShares.read(tmp.resolve("magic"), arena))
                .hasMessageContaining("not a securenn tensor share file");
            java.nio.file.Files.writeString(tmp.resolve("kind"), "SECURENN-TENSOR-SHARES\nparty P0\nnetwork A\nkind weights\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputShares.read(tmp.resolve("kind"), arena))
                .hasMessageContaining("kind must be input or output but is 'weights'");
        }
    }

    @Test
    void networkDescriptionsShouldParseAndRejectMistakes()
    {
        final NetworkSpec c = NetworkSpec.builtIn("C");
        assertThat(c.layers()).hasSize(9);
        assertThat(((NetworkSpec.Fc)c.layers().get(6)).inputs()).isEqualTo(800);
        final NetworkSpec d = NetworkSpec.builtIn("d");
        assertThat(((NetworkSpec.Fc)d.layers().get(2)).inputs()).isEqualTo(980);
        assertThat(NetworkSpec.parse("again", c.describe()).describe()).isEqualTo(c.describe());
        assertThatThrownBy(() -> NetworkSpec.parse("x", "input 1 28 28\nmaxpool 3\n")).hasMessageContaining("does not divide 1×28×28");
        assertThatThrownBy(() -> NetworkSpec.parse("x", "fc 10\n")).hasMessageContaining("the first layer must be 'input C H W'");
        assertThatThrownBy(() -> NetworkSpec.parse("x", "input 1 28 28\nsoftmax\n")).hasMessageContaining("unknown layer 'softmax'");
        assertThatThrownBy(() -> NetworkSpec.parse("x", "input 1 28 28\nfc ten\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> NetworkSpec.builtIn("E")).hasMessageContaining("choose A, B, C or D");
    }
}
