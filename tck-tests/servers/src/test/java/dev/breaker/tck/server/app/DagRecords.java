package dev.breaker.tck.server.app;

import dev.breaker.tck.harness.Recorder;
import dev.breaker.worker.WorkerEvent;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies to the console, for the runner to read back, what the suite's 100-node DAG
 * ({@code dev.breaker.tck.dag.Dag100}, in this WAR as the suite compiled it) records in the
 * suite's {@code Recorder}: one line per record, {@code BREAKER-TCK dag <seq> <what> <worker>},
 * where {@code <what>} is {@code start-begin}, {@code start-end}, {@code stop-begin} or
 * {@code stop-end} and {@code <seq>} the record's place in one global order (so the lines may
 * reach the console in any order). Each record is printed once, on the first worker event after
 * it: a worker's event to {@code RUNNING} or {@code STOPPED} follows its own records on the same
 * thread, so every record is out by the time its worker has started or stopped.
 *
 * <p>A static observer: no contextual instance is needed while the application context shuts
 * down. Thread-safe.
 */
@Dependent
public class DagRecords {
    private static final Set<Long> PRINTED = ConcurrentHashMap.newKeySet();

    static void print(@Observes WorkerEvent event) {
        for (Recorder.Entry e : Recorder.entries()) {
            if (PRINTED.add(e.seq())) {
                System.out.println("BREAKER-TCK dag " + e.seq() + " " + e.what() + " " + e.who());
            }
        }
        System.out.flush();
    }
}
