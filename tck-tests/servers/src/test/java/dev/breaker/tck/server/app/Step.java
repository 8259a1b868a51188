package dev.breaker.tck.server.app;

/**
 * What the test application prints for the runner to read back from the server's console:
 * one line per worker start and stop, {@code BREAKER-TCK <what> <worker>}. Printed to standard
 * output, which every server copies to its console log in order.
 */
final class Step {
    private Step() {
    }

    static void print(String what, Object worker) {
        Class<?> c = worker.getClass();
        while (c.getSimpleName().contains("$") || c.getSimpleName().contains("_")) {
            c = c.getSuperclass();
        }
        System.out.println("BREAKER-TCK " + what + " " + c.getSimpleName());
        System.out.flush();
    }
}
