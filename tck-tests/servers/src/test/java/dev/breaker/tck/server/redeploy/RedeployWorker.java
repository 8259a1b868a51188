package dev.breaker.tck.server.redeploy;

import dev.breaker.Breaker;
import dev.breaker.CurrentBreaker;
import dev.breaker.cdi.Worker;
import dev.breaker.worker.Routine;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The application that {@code ServerChecks.redeployTwentyTimes} deploys and undeploys: a worker
 * whose routine runs on a library thread until the worker stops, holding an hour-long timed
 * breaker (an entry in the library's timer) and a SIGTERM breaker (the library's handler in place
 * of the JVM's) while it lives; at start it lets a 20 ms breaker trip (the timer thread) with an
 * action (a callback thread) and binds a breaker as {@link CurrentBreaker}. Prints
 * {@code BREAKER-TCK redeploy up} and {@code BREAKER-TCK redeploy down} for the runner.
 */
@Worker
public class RedeployWorker implements Routine {
    private Breaker hour;
    private Breaker sigterm;

    @PostConstruct
    void start() {
        hour = Breaker.byTimeout(Duration.ofHours(1));
        sigterm = Breaker.bySignal("TERM");
        CountDownLatch ran = new CountDownLatch(1);
        try (Breaker quick = Breaker.byTimeout(Duration.ofMillis(20))) {
            quick.onBreak(ran::countDown);
            if (!ran.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a 20 ms breaker's action did not run within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        boolean[] found = new boolean[1];
        CurrentBreaker.run(hour, () -> found[0] = CurrentBreaker.get().isPresent());
        if (!found[0]) {
            throw new IllegalStateException("CurrentBreaker.get() did not find the bound breaker");
        }
        System.out.println("BREAKER-TCK redeploy up");
        System.out.flush();
    }

    @Override
    public void run(Breaker stop) throws InterruptedException {
        stop.await();
    }

    @PreDestroy
    void stop() {
        hour.close();
        sigterm.close();
        System.out.println("BREAKER-TCK redeploy down");
        System.out.flush();
    }
}
