package dev.jtorch.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

import java.util.concurrent.atomic.AtomicInteger;

/** One local[2] Spark session for every test class (4 attempts per task, so retries can be tested). */
final class LocalSpark {
    private static SparkSession session;
    private static final AtomicInteger JOBS = new AtomicInteger();

    private LocalSpark() {
    }

    static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder().master("local[2,4]").appName("jtorch-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            session.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart jobStart) {
                    JOBS.incrementAndGet();
                }
            });
        }
        return session;
    }

    /** Jobs started so far (the listener bus delivers them asynchronously: call after a short wait). */
    static int jobs() {
        return JOBS.get();
    }
}
