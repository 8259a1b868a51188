package dev.breaker.internal;

import dev.breaker.Breaker;
import dev.breaker.HidingClassLoader;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trip leaves nothing strongly held on the thread that ran it: a server's request threads are
 * pooled and outlive the application, and a {@link TripLoop} held by one of their thread locals held
 * the undeployed application's class loader (seen on WildFly, {@code tck-tests/servers}' redeploy test).
 */
class TripLoopLeakTest {

    @Test
    void aTripRunsItsActionsInALoopThatNoUserThreadHoldsStrongly() {
        AtomicBoolean heldInside = new AtomicBoolean();
        AtomicBoolean inAction = new AtomicBoolean();
        AtomicBoolean nestedRan = new AtomicBoolean();
        Breaker outer = Breaker.manual();
        outer.onBreak(() -> {
            heldInside.set(TripLoop.inAction());
            inAction.set(TripLoop.inAction());
            Breaker inner = Breaker.manual(); // tripped from an action: queued on the same loop
            inner.onBreak(() -> nestedRan.set(true));
            inner.close();
        });
        outer.close();
        assertTrue(heldInside.get() && inAction.get(), "the actions run inside the thread's loop");
        assertTrue(nestedRan.get(), "a trip made by an action runs before the outer trip returns");
        assertFalse(TripLoop.heldStrongly(), "this (user's) thread holds its loop only weakly after the trip");
        assertFalse(TripLoop.inAction());
    }

    @Test
    void aCopyOfTheLibraryThatTrippedABreakerOnALongLivedThreadCanBeCollected() throws Exception {
        WeakReference<ClassLoader> loader = tripInACopyOfTheLibrary();
        for (int i = 0; i < 100 && loader.get() != null; i++) { // nothing notifies a collection
            System.gc();
            Thread.sleep(10);
        }
        assertNull(loader.get(), "the copy's class loader is still reachable after a trip on this (pooled) thread");
    }

    /** Loads the library again in a loader of its own, as a WAR does, and trips a breaker with an action on this thread. */
    private WeakReference<ClassLoader> tripInACopyOfTheLibrary() throws Exception {
        ClassLoader app = new HidingClassLoader(getClass().getClassLoader(), "dev.breaker.", name -> false);
        Class<?> api = app.loadClass("dev.breaker.Breaker");
        Object breaker = api.getMethod("manual").invoke(null);
        api.getMethod("onBreak", Runnable.class).invoke(breaker, (Runnable) () -> { });
        ((AutoCloseable) breaker).close();
        assertTrue((Boolean) api.getMethod("isBroken").invoke(breaker));
        return new WeakReference<>(app);
    }
}
