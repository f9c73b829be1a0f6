package dev.jtorch.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The one shared pool that parallel kernels run on, and the configured thread count.
 *
 * <p>Work is split into a fixed number of tasks by the caller; task 0 runs on the calling thread and the
 * others on the pool. Kernels choose partitions aligned to their register tiles, so the result of each
 * output element never depends on how many tasks there were. A kernel called inside a task runs on one thread.
 */
final class Parallel {
    private static volatile int threads = initialThreads();
    private static ForkJoinPool pool;

    private Parallel() {
    }

    private static int initialThreads() {
        String p = System.getProperty(Kernels.THREADS_PROPERTY);
        if (p == null || p.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(p.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(Kernels.THREADS_PROPERTY + " must be an integer >= 1 but was '" + p + "'");
    }

    static int threads() {
        return threads;
    }

    static void setThreads(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + t);
        }
        threads = t;
    }

    static synchronized ForkJoinPool pool(int parallelism) {
        if (pool == null || pool.getParallelism() < parallelism) {
            // a larger pool replaces a smaller one, which is not shut down: callers may still be submitting to it
            // (they take the pool and submit outside this lock); its idle threads end after the keep-alive time
            pool = new ForkJoinPool(Math.max(parallelism, Runtime.getRuntime().availableProcessors()),
                    ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false);
        }
        return pool;
    }

    /**
     * How deeply the current thread is inside a parallel task (of {@link #run} or {@link Lockstep}): a kernel
     * called there runs on its own thread, since the pool's threads are the caller's siblings, busy with the same
     * run (a nested fork would wait for a thread that is waiting for it).
     */
    private static final ThreadLocal<int[]> INSIDE = ThreadLocal.withInitial(() -> new int[1]);

    /** Whether the current thread runs inside a parallel task (its kernels run on it alone). */
    static boolean inside() {
        return INSIDE.get()[0] > 0;
    }

    /** Runs {@code body} with the current thread marked as inside a parallel task. */
    static void inside(Runnable body) {
        int[] depth = INSIDE.get();
        depth[0]++;
        try {
            body.run();
        } finally {
            depth[0]--;
        }
    }

    /**
     * Number of tasks worth using for {@code work} multiply-adds: 1 below about a million, else up to the
     * configured thread count.
     */
    static int tasksFor(long work) {
        int t = threads;
        if (t <= 1 || work < (1L << 20) || INSIDE.get()[0] > 0) {
            return 1;
        }
        return (int) Math.min(t, Math.max(1, work >> 19));
    }

    /** Runs {@code body.accept(i)} for i in [0, tasks), task 0 on the calling thread; returns when all are done. */
    static void run(int tasks, IntConsumer body) {
        if (tasks <= 1) {
            body.accept(0);
            return;
        }
        ForkJoinPool p = pool(tasks - 1);
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[tasks - 1];
        Throwable failure = null;
        int submitted = 0;
        try {
            for (int i = 1; i < tasks; i++) {
                final int task = i;
                forked[i - 1] = p.submit(() -> inside(() -> body.accept(task)));
                submitted = i;
            }
        } catch (RuntimeException rejected) {
            // the pool refused a task: the caller runs the ones it did not take
        }
        try {
            inside(() -> body.accept(0));
            for (int i = submitted + 1; i < tasks; i++) {
                final int task = i;
                inside(() -> body.accept(task));
            }
        } catch (Throwable t) {
            failure = t;
        }
        for (ForkJoinTask<?> f : forked) {
            if (f == null) {
                continue;
            }
            try {
                f.join();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
