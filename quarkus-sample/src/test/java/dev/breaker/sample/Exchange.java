package dev.breaker.sample;

/**
 * One request and what became of it, as {@link KeepAliveClient} saw it on the wire.
 *
 * @param client         the client thread's number
 * @param sentNanos      {@code System.nanoTime()} just before the request was written
 * @param doneNanos      when the outcome was known
 * @param outcome        what happened
 * @param status         the response's status, or 0 without one
 * @param connectionClose whether the response said {@code Connection: close}
 * @param closedCleanly  after a {@code Connection: close} response: the server then closed the
 *                       connection with a FIN (end of stream), not a reset
 * @param retryAfter     the {@code Retry-After} header, or null
 * @param id             the event id of a 202, or null
 * @param payload        the payload sent (identifies a POST across retries)
 * @param idempotencyKey the {@code Idempotency-Key} sent, or null
 * @param reused         whether the request went out on a connection that had served an earlier one
 * @param replayed       a 202 that said {@code Idempotent-Replayed: true} (the key had been stored before)
 * @param error          the I/O error, or null
 */
record Exchange(int client, long sentNanos, long doneNanos, Outcome outcome, int status, boolean connectionClose,
                boolean closedCleanly, String retryAfter, String id, String payload, String idempotencyKey,
                boolean reused, boolean replayed, String error) {

    enum Outcome {
        /** A complete response. */
        RESPONSE,
        /** The TCP connection was refused (nothing listening). */
        REFUSED,
        /** The server closed or reset the connection before the response's first byte. */
        NO_RESPONSE,
        /** The connection was reset, or ended, in the middle of the response. */
        RESET,
        /** No complete response within the client's read timeout. */
        TIMEOUT
    }

    boolean accepted() {
        return outcome == Outcome.RESPONSE && status == 202 && id != null;
    }

    /** A 503 with {@code Retry-After}: refused politely, nothing promised. */
    boolean politeRefusal() {
        return outcome == Outcome.RESPONSE && status == 503 && retryAfter != null;
    }

    @Override
    public String toString() {
        return "client-" + client + " " + outcome + (status > 0 ? " " + status : "")
                + (connectionClose ? " Connection: close" + (closedCleanly ? " (clean close)" : " (NOT closed cleanly)") : "")
                + (retryAfter != null ? " Retry-After: " + retryAfter : "")
                + (reused ? " on a reused connection" : " on a new connection")
                + (error != null ? " (" + error + ")" : "");
    }
}
