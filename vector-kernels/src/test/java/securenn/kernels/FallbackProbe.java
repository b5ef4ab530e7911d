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
 * the Java lambda it carries, boxing every vector, and dominates the samples. Allocation samples of Vector API objects
 * ({@code jdk.incubator.vector.*}) on the thread catch the other silent slowdown: a kernel too large for C2 to
 * inline whole boxes its vectors at the call boundaries although every intrinsic succeeded.
 *
 * <p>Code that C2 has not compiled yet (interpreted, C1) also runs the fallback, so one window of samples right after
 * warm-up can look bad on a loaded machine; {@link #sample} therefore takes up to {@value #WINDOWS} windows and reports
 * the cleanest: a real fallback persists in all of them.
 */
final class FallbackProbe
{
    /** What the samples showed: how many were taken of the kernel's thread and how many ran fallback code. */
    record Result(String kernel, int samples, int fallbackSamples, int vectorAllocations, String example)
    {
        double fallbackShare()
        {
            return samples == 0 ? 0 : (double)fallbackSamples / samples;
        }
    }

    private static final String FALLBACK_CLASS = "jdk.internal.vm.vector.VectorSupport";
    private static final String VECTOR_PACKAGE = "jdk.incubator.vector.";
    /** Windows sampled at most: the first clean one ends the probe. */
    static final int WINDOWS = 4;
    /** Fewer samples than this in a window say nothing; it is taken again. */
    static final int MIN_SAMPLES = 50;

    private FallbackProbe()
    {
    }

    /**
     * Runs {@code kernel} for {@code warmup}, then samples it in windows of {@code sampled} until one is clean (at most
     * {@code maxShare} of its samples in fallback code and at most {@code maxAllocations} vector objects allocated) or
     * {@value #WINDOWS} were taken; returns the clean window or the best of them.
     */
    static Result sample(final String name, final Runnable kernel, final Duration warmup, final Duration sampled,
        final double maxShare, final int maxAllocations)
    {
        runFor(kernel, warmup);
        Result best = null;
        for (int w = 0; w < WINDOWS; w++)
        {
            final Result r = window(name, kernel, sampled);
            if (r.samples() < MIN_SAMPLES)
            {
                continue;
            }
            if (best == null || r.fallbackShare() + r.vectorAllocations() < best.fallbackShare() + best.vectorAllocations())
            {
                best = r;
            }
            if (r.fallbackShare() <= maxShare && r.vectorAllocations() <= maxAllocations)
            {
                return r;
            }
        }
        return best == null ? new Result(name, 0, 0, 0, "") : best;
    }

    private static Result window(final String name, final Runnable kernel, final Duration sampled)
    {
        final Path file;
        try (Recording recording = new Recording())
        {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "10000/s").withStackTrace();
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
        int allocations = 0;
        String example = "";
        for (final RecordedEvent e : events)
        {
            if (e.getEventType().getName().equals("jdk.ObjectAllocationSample") && e.getThread("eventThread") != null
                && thread.equals(e.getThread("eventThread").getJavaName())
                && e.getClass("objectClass").getName().startsWith(VECTOR_PACKAGE))
            {
                allocations++;
                if (example.isEmpty() && e.getStackTrace() != null)
                {
                    example = "allocates " + e.getClass("objectClass").getName() + " in " + describe(e.getStackTrace().getFrames(), 0);
                }
                continue;
            }
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
                    if (example.isEmpty() || example.startsWith("allocates"))
                    {
                        example = describe(frames, i);
                    }
                    break;
                }
            }
        }
        return new Result(name, samples, fallback, allocations, example);
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
