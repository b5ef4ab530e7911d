package securenn.bench.idle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Busy-loop processes that compete with the parties for the host's cores, as another tenant would. */
public final class CpuHogs implements AutoCloseable
{
    private final List<Process> hogs = new ArrayList<>();

    public CpuHogs(final int count) throws IOException
    {
        for (int i = 0; i < count; i++)
        {
            hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
    }

    @Override
    public void close()
    {
        hogs.forEach(Process::destroyForcibly);
        for (final Process hog : hogs)
        {
            try
            {
                hog.waitFor();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
