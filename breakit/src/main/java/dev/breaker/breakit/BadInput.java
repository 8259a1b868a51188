package dev.breaker.breakit;

/** A mistake on the command line: reported on one line, exit status 2. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message);
    }
}
