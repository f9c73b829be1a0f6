package dev.jtorch.kernels;

import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Runs a fixed number of tasks through a sequence of steps together, each step of every task starting only
 * when every task has finished the step before: the shape of a recurrent layer whose step product is split
 * by columns across cores (each core keeps its columns of the weight in its own cache for the whole
 * sequence, and all of them need the whole previous state).
 *
 * <p>Task 0 runs on the calling thread, the others on the kernel pool; the tasks wait for each other by
 * spinning (a step is microseconds, far shorter than a park and wake-up). A task the pool has not started
 * within a short grace period (the pool busy with other work, or fewer cores than tasks) is taken over by the
 * calling thread, which then runs it step by step beside its own, so the call finishes whatever the pool
 * does. Kernels called from a step run on that step's thread (no nested fork onto the pool, whose threads
 * are the run's own). An exception in any task stops the others at their next step and is rethrown here.
 *
 * <p>Example:
 * <pre>{@code
 * Lockstep.run(Lockstep.tasksFor(bytesPerStep), steps, (task, step) -> stepColumns(task, step));
 * }</pre>
 */
public final class Lockstep {
    /** The work of one step below which splitting it does not pay for the wait between steps. */
    static final long MIN_BYTES_PER_TASK = 64 * 1024;
    /** Spin-waits at a step boundary before yielding the core (a few tens of microseconds). */
    static final int SPINS = 1 << 12;
    /** How long the caller waits for the pool to start a task before running it itself, in nanoseconds. */
    static final long GRACE_NANOS = 200_000;

    private Lockstep() {
    }

    /** One step of one task. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs step {@code step} of task {@code task}; every task's step {@code step - 1} has finished.
         *
         * @param task the task index, in [0, tasks)
         * @param step the step index, in [0, steps)
         */
        void step(int task, int step);
    }

    /**
     * How many tasks to split a step that reads {@code bytesPerStep} bytes into: 1 when the configured kernel
     * thread count is 1, when called inside a parallel task, or when each task would read less than 64 KiB, else
     * up to the thread count.
     *
     * @param bytesPerStep the bytes one step streams (its weight)
     * @return the number of tasks, at least 1
     */
    public static int tasksFor(long bytesPerStep) {
        int t = Parallel.threads();
        if (t <= 1 || Parallel.inside()) {
            return 1;
        }
        return (int) Math.max(1, Math.min(t, bytesPerStep / MIN_BYTES_PER_TASK));
    }

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int ADOPTED = 2;

    /** Shared between the tasks of one run. */
    private static final class Run {
        final int tasks;
        final int steps;
        final Body body;
        /** Per task: NEW, RUNNING (started by the pool) or ADOPTED (run by the caller). */
        final AtomicIntegerArray owner;
        /** Per task: the number of steps it has finished. */
        final AtomicIntegerArray done;
        volatile Throwable failure;

        Run(int tasks, int steps, Body body) {
            this.tasks = tasks;
            this.steps = steps;
            this.body = body;
            this.owner = new AtomicIntegerArray(tasks);
            this.done = new AtomicIntegerArray(tasks);
        }

        /** Spins until every task has finished {@code step} steps; false when a task failed. */
        boolean await(int step) {
            int spins = 0;
            for (int t = 0; t < tasks; t++) {
                while (done.get(t) < step) {
                    if (failure != null) {
                        return false;
                    }
                    // spin while the other cores are (as they should be) running their tasks; past that, the
                    // machine is oversubscribed and a descheduled sibling needs this core: yield it
                    if (++spins < SPINS) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                }
            }
            return failure == null;
        }

        void fail(Throwable e) {
            if (failure == null) {
                failure = e;
            }
        }

        /** Runs the given tasks (one, for a pool thread; the caller's own and the adopted ones) step by step. */
        void runTasks(boolean[] mine) {
            try {
                for (int s = 0; s < steps; s++) {
                    if (s > 0 && !await(s)) {
                        return;
                    }
                    for (int t = 0; t < tasks; t++) {
                        if (mine[t]) {
                            body.step(t, s);
                            done.set(t, s + 1);
                        }
                    }
                }
            } catch (Throwable e) {
                fail(e);
            }
        }
    }

    /**
     * Runs {@code body.step(task, step)} for every task in [0, tasks) and step in [0, steps), the steps in order,
     * step s of any task after step s - 1 of every task.
     *
     * @param tasks the number of tasks (at least 1)
     * @param steps the number of steps (at least 0)
     * @param body what one step of one task does
     * @throws IllegalArgumentException for tasks &lt; 1 or steps &lt; 0
     */
    public static void run(int tasks, int steps, Body body) {
        if (tasks < 1 || steps < 0) {
            throw new IllegalArgumentException("Lockstep.run: expected tasks >= 1 and steps >= 0, got tasks=" + tasks
                    + ", steps=" + steps);
        }
        Checks.notNull("body", body);
        Run run = new Run(tasks, steps, body);
        if (tasks == 1 || steps == 0) {
            boolean[] all = new boolean[tasks];
            java.util.Arrays.fill(all, true);
            run.runTasks(all);
            rethrow(run.failure);
            return;
        }
        var pool = Parallel.pool(tasks - 1);
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[tasks - 1];
        try {
            for (int t = 1; t < tasks; t++) {
                final int task = t;
                forked[t - 1] = pool.submit(() -> {
                    if (run.owner.compareAndSet(task, NEW, RUNNING)) {
                        try {
                            boolean[] one = new boolean[tasks];
                            one[task] = true;
                            Parallel.inside(() -> run.runTasks(one));
                        } catch (Throwable e) {
                            run.fail(e);
                        }
                    }
                });
            }
        } catch (RuntimeException rejected) {
            // the pool refused a task: it stays NEW, and the caller adopts it below
        }
        try {
            boolean[] mine = new boolean[tasks];
            mine[0] = true;
            long deadline = System.nanoTime() + GRACE_NANOS;
            for (int t = 1; t < tasks; t++) {
                while (forked[t - 1] != null && run.owner.get(t) == NEW && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                if (run.owner.compareAndSet(t, NEW, ADOPTED)) {
                    mine[t] = true;
                }
            }
            Parallel.inside(() -> run.runTasks(mine));
        } catch (Throwable e) {
            run.fail(e);   // the pool's tasks see it at their next wait and stop
        }
        for (int t = 1; t < tasks; t++) {
            ForkJoinTask<?> f = forked[t - 1];
            if (f == null) {
                continue;
            }
            if (run.owner.get(t) == ADOPTED) {
                f.cancel(false);   // ran here; its pool task is a no-op that need not be waited for
                continue;
            }
            try {
                f.join();
            } catch (RuntimeException | Error e) {
                run.fail(e);
            }
        }
        rethrow(run.failure);
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
