package dev.breaker.cdi.internal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every message the extension reports, each with a stable code ({@code BRKR001}…) that tests and
 * users can search for. Messages name the culprit: the worker ({@code 'name' (class)}), the
 * injection point ({@code Class.field}) or the configuration key. Stateless; thread-safe.
 */
public final class Messages {
    private Messages() {
    }

    /** BRKR001: a dependency cycle; {@code path} starts and ends with the same worker. */
    public static String cycle(List<WorkerCandidate> path) {
        return "BRKR001: dependency cycle among workers: "
                + path.stream().map(WorkerCandidate::label).collect(Collectors.joining(" -> "));
    }

    /** BRKR002: {@code @DependsOn} lists a class that is not a worker. */
    public static String dependsOnNonWorker(WorkerCandidate worker, String target) {
        return "BRKR002: worker " + worker.label() + " has @DependsOn(" + target
                + ".class), which is not a @Worker bean";
    }

    /** BRKR003: a {@code @Worker} whose scope is not application scope. */
    public static String workerScope(WorkerCandidate worker) {
        return "BRKR003: worker " + worker.label() + " has scope @" + worker.scope()
                + "; a @Worker must be @ApplicationScoped";
    }

    /** BRKR004: an invalid configuration value. */
    public static String invalidValue(String key, String value, String expected) {
        return "BRKR004: invalid value '" + value + "' for " + key + ": expected " + expected;
    }

    /** BRKR005: a malformed {@code @BreakerConfig} name. */
    public static String malformedBreakerName(BreakerInjection ip) {
        return "BRKR005: @BreakerConfig(\"" + ip.name() + "\") on " + ip.location()
                + ": a breaker name must match [a-z0-9][a-z0-9-]*";
    }

    /** BRKR006: a reserved {@code @BreakerConfig} name. */
    public static String reservedBreakerName(BreakerInjection ip) {
        return "BRKR006: @BreakerConfig(\"" + ip.name() + "\") on " + ip.location()
                + ": the names default, worker and shutdown are reserved";
    }

    /** BRKR007: two workers with one name. */
    public static String duplicateWorkerName(WorkerCandidate a, WorkerCandidate b) {
        return "BRKR007: workers " + a.label() + " and " + b.label() + " have the same name";
    }

    /** BRKR008: a worker failed to start; deployment fails after the started ones stopped. */
    public static String startFailed(String worker, String className, Throwable cause) {
        return "BRKR008: worker '" + worker + "' (" + className + ") failed to start: " + cause;
    }

    /** BRKR012: a worker aborted the application (or a routine escalated) while workers were starting. */
    public static String abortedDuringStart(Throwable cause) {
        return "BRKR012: the application was aborted while its workers were starting: " + cause;
    }

    /**
     * BRKR013: a worker destroyed at shutdown was used again by another worker's thread (which
     * would have made the container create it anew).
     */
    public static String stoppedWorkerUsedByWorker(String worker, String caller, boolean callerDependsOnIt) {
        String prefix = "BRKR013: worker '" + worker + "' was stopped at shutdown; ";
        if (caller.equals(worker)) {
            return prefix + "it used itself through its client proxy after its stop began";
        }
        return prefix + "'" + caller + "' used it " + (callerDependsOnIt ? "after its stop timeout"
                : "afterwards, without depending on it (add @DependsOn to keep it until '" + caller + "' stops)");
    }

    /** BRKR013: a worker destroyed at shutdown was used again by a thread that is not a worker's. */
    public static String stoppedWorkerUsedByThread(String worker, String thread) {
        return "BRKR013: worker '" + worker + "' was stopped at shutdown; thread '" + thread + "' used it afterwards";
    }

    /**
     * BRKR017 (a warning): the shutdown deadline passed before a worker's stop began, and the
     * container then destroyed the worker itself.
     */
    public static String lateDestroy(String worker) {
        return "BRKR017: worker '" + worker + "' was not stopped within breaker.shutdown.timeout;"
                + " the container's destruction of it runs its @PreDestroy on an abandoned thread"
                + " ('breaker-late-stop-" + worker + "') so that the shutdown stays bounded";
    }

    /**
     * BRKR014 (a warning, logged once per application): a breaker made for the application was
     * garbage-collected without being closed.
     */
    public static String breakerLeaked(String name, StackTraceElement site, String siteProperty) {
        return "BRKR014: a breaker named '" + name + "' was garbage-collected without being closed"
                + (site != null ? " (made at " + site + ")" : " (run with -D" + siteProperty
                + "=true to record where each breaker is made)")
                + "; close every breaker made by BreakerFactory (try-with-resources). Its registration was"
                + " removed; further unclosed breakers are counted, not logged";
    }

    /** BRKR009: the worker's bean cannot be found at runtime (removed or vetoed). */
    public static String beanNotFound(String worker, String className) {
        return "BRKR009: worker '" + worker + "' (" + className + ") has no bean at runtime";
    }

    /** BRKR010: the deployment had configuration problems (runtime check, build compatible path). */
    public static String configurationProblems(List<String> problems) {
        return "BRKR010: invalid Breaker configuration:\n  " + String.join("\n  ", problems);
    }

    /** BRKR011: a runtime request for a breaker with an invalid name. */
    public static String invalidBreakerName(String name) {
        return "BRKR011: invalid breaker name '" + name
                + "': it must match [a-z0-9][a-z0-9-]* and not be default, worker or shutdown";
    }

    /** BRKR015 (DEBUG): type discovery found one of the library's bean classes; that copy is vetoed. */
    public static String libraryBeanDiscovered(String className) {
        return "BRKR015: " + className + " was found by type discovery; vetoed, as the Breaker extension"
                + " registers the library's beans itself (once, whatever the container scans)";
    }

    /** BRKR016: a library bean class cannot be loaded next to the extension (a broken deployment). */
    public static String cannotLoadLibraryBean(String className) {
        return "BRKR016: Breaker cannot load its own bean class " + className
                + " from the class loader of its extension";
    }

    /** BRKR018: a breaker with a timeout, held by a shared bean, used outside any request. */
    public static String timedBreakerOutsideRequest(String name, String location) {
        return "BRKR018: the breaker '" + name + "' injected into " + location
                + " has a timeout and was used outside a request, where its clock would start once and"
                + " it would stay tripped for every later caller; use it during a request, annotate the"
                + " calling method @ActivateRequestContext (one breaker per call), or take a new breaker"
                + " per call from BreakerFactory";
    }

    /** BRKR030 (a WARNING): the shutdown timeline could not be written to {@code breaker.shutdown.report-file}. */
    public static String reportNotWritten(String file, Throwable cause) {
        return "BRKR030: the timeline of this shutdown could not be written to " + file + " ("
                + Settings.REPORT_FILE + "): " + cause;
    }

    /** BRKR031 (INFO): the shutdown timeline was written to {@code breaker.shutdown.report-file}. */
    public static String reportWritten(String file) {
        return "BRKR031: the timeline of this shutdown (a Mermaid Gantt chart) was written to " + file;
    }

    /**
     * BRKR050 (INFO): on Payara (GlassFish), the server's shutdown grace was raised to the readiness
     * delay, so that it keeps serving during the delay.
     */
    public static String payaraGraceRaised(String property, long fromMillis, long toMillis) {
        return "BRKR050: Payara's shutdown grace (" + property + ", " + fromMillis + " ms) raised to "
                + toMillis + " ms, breaker.shutdown.readiness-delay: at SIGTERM Payara keeps serving this long"
                + " (readiness DOWN) before it stops the applications";
    }
}
