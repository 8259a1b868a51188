package dev.breaker.cdi.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** BRKR013's rules without a container (the TCK's StoppedWorkerTest runs them in every one). */
class StoppedWorkersTest {

    static class Store {
    }

    /** What a container's generated subclass looks like. */
    static class Store$$Generated extends Store {
    }

    static class Pipeline {
    }

    private final StoppedWorkers stopped = new StoppedWorkers(new DeploymentModel(List.of(
            new WorkerDef("store", Store.class.getName(), List.of()),
            new WorkerDef("pipeline", Pipeline.class.getName(), List.of("store"))), List.of()));

    @Test
    void constructionIsAllowedUntilTheStopBegins() {
        assertDoesNotThrow(() -> stopped.refuseIfStopped(Store.class));
        stopped.stopping("pipeline");
        assertDoesNotThrow(() -> stopped.refuseIfStopped(Store.class), "only the stopped worker is refused");
        assertDoesNotThrow(() -> stopped.refuseIfStopped(String.class), "not a worker");
    }

    @Test
    void aStoppedWorkerIsRefusedNamingTheThreadWhenNoWorkerCalls() {
        stopped.stopping("store");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stopped.refuseIfStopped(Store$$Generated.class));
        assertEquals("BRKR013: worker 'store' was stopped at shutdown; thread '" + Thread.currentThread().getName()
                + "' used it afterwards", e.getMessage());
        assertThrows(IllegalStateException.class, () -> stopped.refuseIfStopped(Store.class), "refused for good");
    }

    @Test
    void messagesNameBothWorkers() {
        assertEquals("BRKR013: worker 'store' was stopped at shutdown; 'pipeline' used it after its stop timeout",
                Messages.stoppedWorkerUsedByWorker("store", "pipeline", true));
        assertEquals("BRKR013: worker 'store' was stopped at shutdown; 'audit' used it afterwards, without depending"
                        + " on it (add @DependsOn to keep it until 'audit' stops)",
                Messages.stoppedWorkerUsedByWorker("store", "audit", false));
        assertEquals("BRKR013: worker 'store' was stopped at shutdown; it used itself through its client proxy after"
                + " its stop began", Messages.stoppedWorkerUsedByWorker("store", "store", false));
    }
}
