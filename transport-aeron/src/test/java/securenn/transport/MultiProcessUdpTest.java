package securenn.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Three parties as three JVM processes talking UDP on loopback: the deployment shape, on one host. */
class MultiProcessUdpTest
{
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers()
    {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void threeProcessesShouldExchangeIntactMessagesIncludingLargeOnes() throws Exception
    {
        final int base = TestPorts.base();
        final List<CompletableFuture<String>> outputs = new ArrayList<>();
        for (int p = 0; p < 3; p++)
        {
            outputs.add(output(start(p, base, "exchange")));
        }
        for (int p = 0; p < 3; p++)
        {
            assertThat(processes.get(p).waitFor(120, TimeUnit.SECONDS)).as("P%d finished", p).isTrue();
            final String out = outputs.get(p).get(10, TimeUnit.SECONDS);
            assertThat(processes.get(p).exitValue()).as("P%d exit code; output:%n%s", p, out).isZero();
            assertThat(out).contains("OK rounds=" + (p < 2 ? 21 : 20)); // P0 and P1 add a 64 MiB exchange
        }
    }

    @Test
    void killingOnePartyMidTransferShouldMakeTheOthersFailNamingItWithinTheTimeout() throws Exception
    {
        final int base = TestPorts.base();
        final Process p0 = start(0, base, "stream");
        final Process p1 = start(1, base, "stream");
        final Process p2 = start(2, base, "stream");
        final CompletableFuture<String> out0 = output(p0);
        final CompletableFuture<String> out1 = output(p1);
        final BufferedReader p2out = new BufferedReader(new InputStreamReader(p2.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do
        {
            line = p2out.readLine();
        }
        while (line != null && !line.contains("STREAMING"));
        assertThat(line).as("P2 started streaming").isNotNull();
        final long killed = System.nanoTime();
        p2.destroyForcibly();
        assertThat(p0.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p1.waitFor(30, TimeUnit.SECONDS)).isTrue();
        final long detectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        for (final CompletableFuture<String> out : List.of(out0, out1))
        {
            assertThat(out.get(10, TimeUnit.SECONDS)).contains("FAILED").contains("P2").contains("failed at step");
        }
        assertThat(p0.exitValue()).isEqualTo(3);
        assertThat(p1.exitValue()).isEqualTo(3);
        // the configured message timeout is 2 s; allow for detection plus process exit on a loaded 2-core machine
        assertThat(detectMs).as("time from kill to both peers failing").isLessThan(10_000);
    }

    private Process start(final int party, final int basePort, final String mode) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access"))
            {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(PartyMain.class.getName());
        cmd.add(Integer.toString(party));
        cmd.add(Integer.toString(basePort));
        cmd.add(mode);
        final Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    private static String classpath() throws IOException
    {
        final Path target = Path.of("target");
        final String deps = Files.readString(target.resolve("runtime-classpath.txt")).trim();
        return target.resolve("classes").toAbsolutePath() + File.pathSeparator + target.resolve("test-classes").toAbsolutePath()
            + File.pathSeparator + deps;
    }

    private static CompletableFuture<String> output(final Process p)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                return "cannot read output: " + ex;
            }
        });
    }
}
