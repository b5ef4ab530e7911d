package securenn.kernels;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Tells whether a kernel runs through the Vector API's Java fallback once compiled, by what the CPU executes rather
 * than by its speed: JFR samples the calling thread while the kernel runs after a warm-up, and a sample whose stack
 * holds a {@code jdk.internal.vm.vector.VectorSupport} frame is fallback code. Those methods exist only as the
 * default bodies of intrinsics: where C2 intrinsifies a call the method never appears as a frame; where it refuses
 * (no instruction on this CPU, a shape it does not support, a non-constant operand it needs folded), the call runs
 * the Java lambda it carries, boxing every vector, and dominates the samples.
 */
final class FallbackProbe
{
    /** What the samples showed: how many were taken of the kernel's thread and how many ran fallback code. */
    record Result(String kernel, int samples, int fallbackSamples, String example)
    {
        double fallbackShare()
        {
            return samples == 0 ? 0 : (double)fallbackSamples / samples;
        }
    }

    private static final String FALLBACK_CLASS = "jdk.internal.vm.vector.VectorSupport";

    private FallbackProbe()
    {
    }

    /** Runs {@code kernel} for {@code warmup}, then samples it for {@code sampled}. */
    static Result sample(final String name, final Runnable kernel, final Duration warmup, final Duration sampled)
    {
        runFor(kernel, warmup);
        final Path file;
        try (Recording recording = new Recording())
        {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
            recording.start();
            runFor(kernel, sampled);
            recording.stop();
            file = Files.createTempFile("fallback-probe", ".jfr");
            recording.dump(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        try
        {
            return count(name, RecordingFile.readAllEvents(file), Thread.currentThread().getName());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            file.toFile().delete();
        }
    }

    private static Result count(final String name, final List<RecordedEvent> events, final String thread)
    {
        int samples = 0;
        int fallback = 0;
        String example = "";
        for (final RecordedEvent e : events)
        {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                || !thread.equals(e.getThread("sampledThread").getJavaName()))
            {
                continue;
            }
            samples++;
            final List<RecordedFrame> frames = e.getStackTrace().getFrames();
            for (int i = 0; i < frames.size(); i++)
            {
                if (frames.get(i).getMethod().getType().getName().equals(FALLBACK_CLASS))
                {
                    fallback++;
                    if (example.isEmpty())
                    {
                        example = describe(frames, i);
                    }
                    break;
                }
            }
        }
        return new Result(name, samples, fallback, example);
    }

    /** The fallback frame and the frames up to the first one of ours: which Vector API call was refused, and where. */
    private static String describe(final List<RecordedFrame> frames, final int at)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = at; i < frames.size(); i++)
        {
            final RecordedFrame f = frames.get(i);
            final String type = f.getMethod().getType().getName();
            out.append(i == at ? "" : " <- ").append(type.substring(type.lastIndexOf('.') + 1)).append('.')
                .append(f.getMethod().getName()).append(':').append(f.getLineNumber());
            if (type.startsWith("securenn."))
            {
                break;
            }
        }
        return out.toString();
    }

    private static void runFor(final Runnable kernel, final Duration time)
    {
        final long end = System.nanoTime() + time.toNanos();
        do
        {
            kernel.run();
        }
        while (System.nanoTime() - end < 0);
    }
}
