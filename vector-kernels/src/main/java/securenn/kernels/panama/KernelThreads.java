package securenn.kernels.panama;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool of helper threads for multi-threaded kernels: daemon threads, created on first use and grown when a
 * call asks for more, so that a kernel called with {@code threads = 1} never starts a thread.
 */
final class KernelThreads
{
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static ExecutorService pool;
    private static int size;

    private KernelThreads()
    {
    }

    static synchronized ExecutorService pool(final int helpers)
    {
        if (pool == null || size < helpers)
        {
            final ExecutorService old = pool;
            pool = Executors.newFixedThreadPool(helpers, r ->
            {
                final Thread t = new Thread(r, "securenn-kernel-" + COUNTER.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            size = helpers;
            if (old != null)
            {
                old.shutdown();
            }
        }
        return pool;
    }
}
