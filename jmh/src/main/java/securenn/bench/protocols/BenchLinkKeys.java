package securenn.bench.protocols;

import securenn.transport.PartyTransport;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Link keys for benchmarks only: fixed, derived from the direction's name, so that three benchmark processes encrypt
 * their links exactly as a served session does (AES-256-GCM per chunk) without running the key agreement, whose
 * one-off cost per session is not what the benchmark prices. Never used outside the benchmarks.
 */
final class BenchLinkKeys
{
    private BenchLinkKeys()
    {
    }

    static void secureIf(final boolean encrypt, final PartyTransport transport)
    {
        if (!encrypt)
        {
            return;
        }
        final int self = transport.self();
        for (int peer = 0; peer < 3; peer++)
        {
            if (peer != self)
            {
                transport.secure(peer, key(self, peer), key(peer, self));
            }
        }
    }

    private static SecretKeySpec key(final int from, final int to)
    {
        try
        {
            return new SecretKeySpec(MessageDigest.getInstance("SHA-256")
                .digest(("securenn bench link " + from + "->" + to).getBytes(StandardCharsets.US_ASCII)), "AES");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
