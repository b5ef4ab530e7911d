package securenn.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import securenn.mpc.Role;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * TLS 1.3 between clients and the servers P0, P1, keyed by the servers' identities: a server presents a self-signed
 * certificate over its Ed25519 identity key (made in memory at start; nothing to manage), and a client accepts a
 * server only if the certificate's key is the public key the cluster config names for that party (key pinning, as
 * with SSH host keys — no certificate authority involved). Clients are not authenticated: the service is open to
 * whoever can reach it, and a client's shares reveal nothing to either server alone.
 */
public final class ClientTls
{
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private ClientTls()
    {
    }

    /** The server side for {@code self}, presenting its identity key. */
    public static SSLContext server(final Role self, final PrivateKey identity, final PublicKey publicKey)
    {
        try
        {
            final X509Certificate cert = selfSigned(self, identity, publicKey);
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            final char[] password = new char[0];
            store.setKeyEntry("identity", identity, password, new X509Certificate[] {cert});
            final KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(store, password);
            final SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), null, new SecureRandom());
            return context;
        }
        catch (final GeneralSecurityException | java.io.IOException | OperatorCreationException ex)
        {
            throw new IllegalStateException(self + ": could not set up TLS for clients: " + ex.getMessage(), ex);
        }
    }

    /** The client side towards {@code server}: accepts only a certificate over {@code pinned}. */
    public static SSLContext client(final Role server, final PublicKey pinned, final String pinnedSource)
    {
        try
        {
            final SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, new TrustManager[] {new Pinned(server, pinned, pinnedSource)}, new SecureRandom());
            return context;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("could not set up TLS towards " + server + ": " + ex.getMessage(), ex);
        }
    }

    /** Restricts a socket to TLS 1.3. */
    public static SSLSocket configure(final SSLSocket socket)
    {
        socket.setEnabledProtocols(PROTOCOLS);
        return socket;
    }

    /** Restricts a server socket to TLS 1.3. */
    public static SSLServerSocket configure(final SSLServerSocket socket)
    {
        socket.setEnabledProtocols(PROTOCOLS);
        return socket;
    }

    private static X509Certificate selfSigned(final Role self, final PrivateKey key, final PublicKey publicKey)
        throws OperatorCreationException, CertificateException
    {
        final Instant now = Instant.now();
        final X500Name name = new X500Name("CN=securenn " + self);
        final JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
            new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(3650))), name, publicKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("Ed25519").build(key)));
    }

    /** Trusts exactly one public key, whatever the certificate around it says. */
    private static final class Pinned extends X509ExtendedTrustManager
    {
        private final Role server;
        private final PublicKey pinned;
        private final String source;

        Pinned(final Role server, final PublicKey pinned, final String source)
        {
            this.server = server;
            this.pinned = pinned;
            this.source = source;
        }

        private void check(final X509Certificate[] chain) throws CertificateException
        {
            if (chain == null || chain.length == 0 || !chain[0].getPublicKey().equals(pinned))
            {
                throw new CertificateException("the server at " + server + "'s address does not hold " + server
                    + "'s identity key " + source + " (wrong key file, or another server answering there)");
            }
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
        {
            check(chain);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            check(chain);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            check(chain);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
        {
            throw new CertificateException("clients are not authenticated by certificate");
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
