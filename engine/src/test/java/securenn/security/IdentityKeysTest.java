package securenn.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import securenn.mpc.Role;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityKeysTest
{
    @Test
    void generatedKeysShouldReadBackAsAPairWithAnOwnerOnlyPrivateFile(@TempDir final Path dir) throws Exception
    {
        IdentityKeys.generate(dir, Role.P1, false);
        final var priv = IdentityKeys.readPrivate(IdentityKeys.privateFile(dir, Role.P1));
        final var pub = IdentityKeys.readPublic(IdentityKeys.publicFile(dir, Role.P1));
        final Signature s = Signature.getInstance("Ed25519");
        s.initSign(priv);
        s.update(new byte[] {1, 2, 3});
        final byte[] sig = s.sign();
        s.initVerify(pub);
        s.update(new byte[] {1, 2, 3});
        assertThat(s.verify(sig)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(IdentityKeys.privateFile(dir, Role.P1))))
            .isEqualTo("rw-------");
        assertThat(IdentityKeys.fingerprint(pub)).hasSize(16);
    }

    @Test
    void anExistingKeyShouldNotBeReplacedWithoutForce(@TempDir final Path dir) throws Exception
    {
        final var first = IdentityKeys.generate(dir, Role.P0, false);
        assertThatThrownBy(() -> IdentityKeys.generate(dir, Role.P0, false)).isInstanceOf(FileAlreadyExistsException.class)
            .hasMessageContaining("--force");
        assertThat(IdentityKeys.generate(dir, Role.P0, true)).isNotEqualTo(first);
    }

    @Test
    void brokenKeyFilesShouldBeNamedWithoutEchoingTheirContent(@TempDir final Path dir) throws Exception
    {
        final Path key = dir.resolve("P0.key");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nU0VDUkVUU0VDUkVUU0VDUkVU\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> IdentityKeys.readPrivate(key)).hasMessageContaining(key.toString())
            .hasMessageContaining("not an Ed25519 private key").hasMessageNotContaining("U0VDUkVU");
        IdentityKeys.generate(dir.resolve("k"), Role.P2, false);
        assertThatThrownBy(() -> IdentityKeys.readPublic(IdentityKeys.privateFile(dir.resolve("k"), Role.P2)))
            .hasMessageContaining("not a PEM 'PUBLIC KEY' file");
        assertThatThrownBy(() -> IdentityKeys.readPublic(dir.resolve("missing.pub"))).hasMessageContaining("securenn keygen");
        Files.write(dir.resolve("bin.pub"), new byte[] {(byte)0xff, 0, 1});
        assertThatThrownBy(() -> IdentityKeys.readPublic(dir.resolve("bin.pub"))).hasMessageContaining("not");
    }
}
