package securenn.service;

import securenn.mpc.Party;
import securenn.mpc.Role;
import securenn.mpc.Step;
import securenn.nn.NetworkSpec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The first exchange of a session: every party sends the others a digest of its network and precision and (P0, P1) of
 * its model id, and refuses to go on if they differ — so mismatched share files fail at start, naming the cause,
 * instead of producing wrong answers.
 */
public final class SessionHandshake
{
    private SessionHandshake()
    {
    }

    /** @param modelId this party's model id (P0, P1) or null (P2) */
    public static void check(final PartySession session, final NetworkSpec spec, final int fractionBits, final String modelId)
    {
        final Role role = session.role();
        final byte[] mine = new byte[64];
        System.arraycopy(sha256(spec.describe() + "/fraction-bits " + fractionBits), 0, mine, 0, 32);
        if (modelId != null)
        {
            System.arraycopy(sha256(modelId), 0, mine, 32, 32);
        }
        try (Arena arena = Arena.ofConfined())
        {
            exchange(session.party(), Step.SESSION_CHECK, mine, arena, (other, theirs) ->
            {
                if (!Arrays.equals(mine, 0, 32, theirs, 0, 32))
                {
                    throw new IllegalStateException(other + " runs a different network or fixed-point precision than " + role
                        + "'s " + spec.name() + " with " + fractionBits + " fraction bits");
                }
                if (modelId != null && other.holdsShares() && !Arrays.equals(mine, 32, 64, theirs, 32, 64))
                {
                    throw new IllegalStateException(role + "'s and " + other + "'s model shares belong to different models "
                        + "(their model ids differ); give P0 and P1 the two files of one split");
                }
            });
        }
    }

    /** What a party does with a peer's message of an {@link #exchange}. */
    @FunctionalInterface
    public interface Check
    {
        void accept(Role other, byte[] theirs);
    }

    /**
     * One all-to-all round of a handshake: sends {@code mine} to both peers, then receives each peer's message of the
     * same size (in role order) and hands it to {@code check}.
     */
    public static void exchange(final Party party, final Step step, final byte[] mine, final Arena arena, final Check check)
    {
        final MemorySegment out = arena.allocate(mine.length);
        MemorySegment.copy(mine, 0, out, ValueLayout.JAVA_BYTE, 0, mine.length);
        for (final Role other : Role.values())
        {
            if (other != party.role())
            {
                party.send(other, step, out);
            }
        }
        for (final Role other : Role.values())
        {
            if (other != party.role())
            {
                final MemorySegment in = arena.allocate(mine.length);
                party.receive(other, step, in);
                check.accept(other, in.toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    /** SHA-256 of the text's UTF-8 bytes: what handshakes compare instead of the text. */
    public static byte[] sha256(final String text)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
