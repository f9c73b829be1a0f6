package dev.jtorch.spark.demo;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts Spark's stages and tasks as they advance, for the demo's progress lines. */
final class StageProgress extends SparkListener {
    private final AtomicInteger stagesDone = new AtomicInteger();
    private final AtomicLong tasksDone = new AtomicLong();
    private volatile int stage = -1;
    private volatile int stageTasks;
    private final AtomicInteger stageTasksDone = new AtomicInteger();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        stage = e.stageInfo().stageId();
        stageTasks = e.stageInfo().numTasks();
        stageTasksDone.set(0);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        tasksDone.incrementAndGet();
        if (e.stageId() == stage) {
            stageTasksDone.incrementAndGet();
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        stagesDone.incrementAndGet();
    }

    /** Tasks finished so far, over all stages. */
    long tasks() {
        return tasksDone.get();
    }

    /** "stage 12 (3/8 tasks), 11 stages and 80 tasks done". */
    String status() {
        return String.format(Locale.ROOT, "stage %d (%d/%d tasks), %d stages and %d tasks done", stage,
                stageTasksDone.get(), stageTasks, stagesDone.get(), tasksDone.get());
    }
}
