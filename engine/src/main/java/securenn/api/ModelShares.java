package securenn.api;

import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * A model split into P0's and P1's shares (fixed point over Z_2^64), as the model owner hands it to the two servers:
 * either share alone is uniformly random. The network (layers and preprocessing), the encoding and the model id are
 * public; P2 needs only the network. {@link #write} makes the share files {@code securenn party} and {@code serve}
 * read.
 */
public final class ModelShares
{
    private final ModelFile.SharedModel[] shares;

    ModelShares(final ModelFile.SharedModel[] shares)
    {
        if (shares.length != 2 || shares[0].party() != Role.P0 || shares[1].party() != Role.P1)
        {
            throw new IllegalArgumentException("model shares are P0's then P1's, but got " + shares.length + " shares"
                + (shares.length == 2 ? " of " + shares[0].party() + " then " + shares[1].party() : ""));
        }
        if (!shares[0].modelId().equals(shares[1].modelId()))
        {
            throw new IllegalArgumentException("P0's share has model-id " + shares[0].modelId() + " but P1's "
                + shares[1].modelId() + ": they come from different splits");
        }
        this.shares = shares.clone();
    }

    /** Reads {@code P0.shares} and {@code P1.shares} from {@code dir}; refuses two files of different splits. */
    public static ModelShares read(final Path dir) throws IOException
    {
        final ModelFile.SharedModel s0 = ModelFile.readShares(dir.resolve("P0.shares"), Arena.ofAuto());
        final ModelFile.SharedModel s1 = ModelFile.readShares(dir.resolve("P1.shares"), Arena.ofAuto());
        requireParty(dir.resolve("P0.shares"), s0, Role.P0);
        requireParty(dir.resolve("P1.shares"), s1, Role.P1);
        if (!s0.modelId().equals(s1.modelId()))
        {
            throw new IOException(dir.resolve("P1.shares") + ": model-id " + s1.modelId() + " is not P0.shares' "
                + s0.modelId() + "; the two files come from different splits");
        }
        return new ModelShares(new ModelFile.SharedModel[]{s0, s1});
    }

    private static void requireParty(final Path file, final ModelFile.SharedModel s, final Role party) throws IOException
    {
        if (s.party() != party)
        {
            throw new IOException(file + ": party " + s.party() + ", but this file must hold " + party + "'s share");
        }
    }

    /** Writes {@code P0.shares} and {@code P1.shares} into {@code dir} (one for each server's host). */
    public void write(final Path dir) throws IOException
    {
        java.nio.file.Files.createDirectories(dir);
        ModelFile.writeShares(dir.resolve("P0.shares"), shares[0]);
        ModelFile.writeShares(dir.resolve("P1.shares"), shares[1]);
    }

    public NetworkSpec network()
    {
        return shares[0].spec();
    }

    public FixedPoint encoding()
    {
        return new FixedPoint(shares[0].fractionBits());
    }

    /** The random id drawn for this split (public: servers check that they hold shares of the same split). */
    public String modelId()
    {
        return shares[0].modelId();
    }

    /** The model owner's inverse of the split (needs both shares). */
    public PlainModel reconstruct()
    {
        return PlainModel.of(ModelFile.reconstruct(shares[0], shares[1]));
    }

    ModelFile.SharedModel[] both()
    {
        return shares.clone();
    }
}
