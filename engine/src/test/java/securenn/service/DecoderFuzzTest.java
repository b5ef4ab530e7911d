package securenn.service;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import securenn.config.ClusterConfig;
import securenn.data.Idx;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.nn.InputShares;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.mpc.SecretSplitter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzing of every decoder and parser: random bytes and random mutations (flipped bytes, truncation, insertion,
 * duplication) of valid inputs must end in the decoder's own clear error (IOException or IllegalArgumentException)
 * or a valid result — never another exception, a hang or an allocation the input does not justify. The valid inputs
 * are built once; jqwik draws the seeds (bounded tries, a few seconds in all).
 */
class DecoderFuzzTest
{
    private static final byte[] CONFIG = ClusterConfig.loopbackToml(40_000, java.nio.file.Path.of("keys"), "[service]\nmax-batch = 8\n").getBytes(StandardCharsets.UTF_8);
    private static final byte[] SPEC = "input 1 28 28\nconv 4 5 stride 1 pad 0\nrelu\nmaxpool 2\nfc 10\n".getBytes(StandardCharsets.UTF_8);
    private static final String DIGITS = "0123456789 \n-x";
    private static final byte[] MODEL;
    private static final byte[] SHARES;
    private static final byte[] TENSOR;
    private static final byte[] IDX;
    private static final byte[] REQUEST;
    private static final byte[] RESPONSE;
    private static final byte[] HELLO;
    private static final byte[] PRIVATE_KEY;
    private static final byte[] PUBLIC_KEY;

    static
    {
        try (Arena arena = Arena.ofConfined())
        {
            final Path dir = Files.createTempDirectory("securenn-fuzz");
            final Model model = Model.random(NetworkSpec.builtIn("A"), 1);
            ModelFile.write(dir.resolve("m"), model);
            MODEL = Files.readAllBytes(dir.resolve("m"));
            ModelFile.writeShares(dir.resolve("s"), ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(1))[0]);
            SHARES = Files.readAllBytes(dir.resolve("s"));
            InputShares.write(dir.resolve("t"), new InputShares(Role.P0, "A", "input", 2, 4, arena.allocate(64)));
            TENSOR = Files.readAllBytes(dir.resolve("t"));
            Idx.write(dir.resolve("i"), new Idx.Array(new int[]{3, 2, 2}, new byte[12]));
            IDX = Files.readAllBytes(dir.resolve("i"));
            final ByteArrayOutputStream req = new ByteArrayOutputStream();
            Wire.writeRequest(new DataOutputStream(req), 42, new long[]{1, -2, 3});
            REQUEST = req.toByteArray();
            final ByteArrayOutputStream res = new ByteArrayOutputStream();
            Wire.writeOk(new DataOutputStream(res), 42, new long[]{4, 5});
            Wire.writeError(new DataOutputStream(res), 43, Wire.Status.TIMEOUT, "late");
            RESPONSE = res.toByteArray();
            final ByteArrayOutputStream hello = new ByteArrayOutputStream();
            Wire.writeHello(new DataOutputStream(hello), new Wire.Hello(1, 1, 28, 28, 10, 13, "A", "00ff"));
            HELLO = hello.toByteArray();
            securenn.security.IdentityKeys.generate(dir.resolve("keys"), Role.P1, false);
            PRIVATE_KEY = Files.readAllBytes(securenn.security.IdentityKeys.privateFile(dir.resolve("keys"), Role.P1));
            PUBLIC_KEY = Files.readAllBytes(securenn.security.IdentityKeys.publicFile(dir.resolve("keys"), Role.P1));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Decodes {@code bytes}; clear errors are fine, anything else fails the property. */
    @FunctionalInterface
    interface Decoder
    {
        void decode(byte[] bytes) throws Exception;
    }

    private static void survives(final String what, final byte[] bytes, final Decoder decoder)
    {
        try
        {
            decoder.decode(bytes);
        }
        catch (final IOException | IllegalArgumentException expected)
        {
            // the decoder's own error
        }
        catch (final Throwable other)
        {
            fail(what + " threw " + other + " on " + bytes.length + " bytes " + Arrays.toString(Arrays.copyOf(bytes, Math.min(64, bytes.length))));
        }
    }

    static byte[] mutate(final byte[] valid, final long seed)
    {
        final SplittableRandom rnd = new SplittableRandom(seed);
        byte[] b = valid.clone();
        final int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++)
        {
            final int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(5))
            {
                case 0 -> b[at] = (byte)rnd.nextInt(256);
                case 1 -> b[at] ^= (byte)(1 << rnd.nextInt(8));
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 ->
                {
                    final byte[] longer = new byte[b.length + 1 + rnd.nextInt(16)];
                    System.arraycopy(b, 0, longer, 0, at);
                    System.arraycopy(b, at, longer, longer.length - (b.length - at), b.length - at);
                    b = longer;
                }
                default -> b[at] = (byte)DIGITS.charAt(rnd.nextInt(DIGITS.length()));
            }
        }
        return b;
    }

    private static void viaFile(final byte[] bytes, final FileDecoder decoder) throws Exception
    {
        final Path f = Files.createTempFile("securenn-fuzz", ".bin");
        try (Arena arena = Arena.ofConfined())
        {
            Files.write(f, bytes);
            decoder.decode(f, arena);
        }
        finally
        {
            Files.deleteIfExists(f);
        }
    }

    @FunctionalInterface
    interface FileDecoder
    {
        void decode(Path file, Arena arena) throws Exception;
    }

    @Property(tries = 300)
    void wireFramesShouldDecodeOrFailCleanly(@ForAll final long seed, @ForAll @Size(max = 64) final byte[] noise)
    {
        final Decoder requests = b ->
        {
            final DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            while (Wire.readRequest(in, 784) != null)
            {
                // keep reading frames
            }
        };
        final Decoder responses = b ->
        {
            final DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            while (Wire.readResponse(in) != null)
            {
                // keep reading frames
            }
        };
        survives("Wire.readRequest", mutate(REQUEST, seed), requests);
        survives("Wire.readRequest", noise, requests);
        survives("Wire.readResponse", mutate(RESPONSE, seed), responses);
        survives("Wire.readResponse", noise, responses);
        final Decoder hellos = b -> Wire.readHello(new DataInputStream(new ByteArrayInputStream(b)));
        survives("Wire.readHello", mutate(HELLO, seed), hellos);
        survives("Wire.readHello", noise, hellos);
    }

    @Property(tries = 300)
    void clusterConfigsAndNetworkSpecsShouldParseOrFailCleanly(@ForAll final long seed)
    {
        survives("ClusterConfig.parse", mutate(CONFIG, seed), b -> ClusterConfig.parse(new String(b, StandardCharsets.UTF_8)));
        survives("NetworkSpec.parse", mutate(SPEC, seed), b -> NetworkSpec.parse("fuzz", new String(b, StandardCharsets.UTF_8)));
    }

    @Property(tries = 150)
    void modelShareTensorAndIdxFilesShouldReadOrFailCleanly(@ForAll final long seed)
    {
        survives("ModelFile.read", mutate(MODEL, seed), b -> viaFile(b, (f, a) -> ModelFile.read(f)));
        survives("ModelFile.readShares", mutate(SHARES, seed), b -> viaFile(b, ModelFile::readShares));
        survives("InputShares.read", mutate(TENSOR, seed), b -> viaFile(b, InputShares::read));
        survives("Idx.read", mutate(IDX, seed), b -> viaFile(b, (f, a) -> Idx.read(f)));
    }

    /** Found by the property above: three dimensions whose product overflowed a long before the size check. */
    @net.jqwik.api.Example
    void idxDimensionsWhoseProductOverflowsShouldFailCleanly()
    {
        final byte[] found = {0, 0, 8, 3, 0, 10, 0, 3, 0, 16, 0, 2, 38, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> viaFile(found, (f, a) -> Idx.read(f)))
            .isInstanceOf(IOException.class).hasMessageContaining("more elements than");
    }

    @Property(tries = 150)
    void identityKeyFilesShouldReadOrFailCleanly(@ForAll final long seed)
    {
        survives("IdentityKeys.readPrivate", mutate(PRIVATE_KEY, seed),
            b -> viaFile(b, (f, a) -> securenn.security.IdentityKeys.readPrivate(f)));
        survives("IdentityKeys.readPublic", mutate(PUBLIC_KEY, seed),
            b -> viaFile(b, (f, a) -> securenn.security.IdentityKeys.readPublic(f)));
    }
}
