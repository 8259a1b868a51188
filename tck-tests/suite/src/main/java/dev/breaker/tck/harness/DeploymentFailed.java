package dev.breaker.tck.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A deployment the container refused, whatever its container-specific wrapping (Weld's
 * exception list, OWB's WebBeansDeploymentException, ArC's "Found N deployment problems"): the
 * text of every message in the cause chain and the suppressed exceptions.
 */
public final class DeploymentFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeploymentFailed(Throwable cause) {
        super("deployment failed: " + cause, cause);
    }

    /** Every message of the failure, its causes and its suppressed exceptions, one per line. */
    public String text() {
        List<String> out = new ArrayList<>();
        collect(getCause(), out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return String.join("\n", out);
    }

    /** Asserts that the failure reports {@code message} verbatim (as a whole line or part of one). */
    public DeploymentFailed reports(String message) {
        String text = text();
        if (!text.contains(message)) {
            fail("the deployment failure does not report\n  " + message + "\nit reports:\n" + text);
        }
        return this;
    }

    /** Asserts that no message mentions {@code fragment}. */
    public DeploymentFailed doesNotReport(String fragment) {
        String text = text();
        if (text.contains(fragment)) {
            fail("the deployment failure should not mention " + fragment + ":\n" + text);
        }
        return this;
    }

    private static void collect(Throwable t, List<String> out, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        out.add(t.getClass().getName() + ": " + t.getMessage());
        for (Throwable s : t.getSuppressed()) {
            collect(s, out, seen);
        }
        collect(t.getCause(), out, seen);
    }
}
