package dev.breaker.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code Idempotency-Key} request header of {@code POST /events}: what a key may be, and what
 * makes a repeat the same request (its payload's SHA-256).
 */
final class IdempotencyKey {
    static final String HEADER = "Idempotency-Key";
    /** The response header of a repeat: {@code Idempotent-Replayed: true}. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_LENGTH = 200;
    private static final String RULE = "the " + HEADER + " header must be 1 to " + MAX_LENGTH
            + " printable ASCII characters";

    private IdempotencyKey() {
    }

    /**
     * The key of a request (the header's values as received), or null if it has none;
     * IllegalArgumentException says what is wrong: more than one header, or a value that is not
     * 1 to {@value #MAX_LENGTH} printable ASCII characters (U+0020 to U+007E).
     */
    static String parse(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("send one " + HEADER + " header, not " + values.size());
        }
        String key = values.get(0);
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(RULE + "; it is empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(RULE + "; it is " + key.length() + " characters long");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(RULE + "; it has U+%04X at index %d".formatted((int) c, i));
            }
        }
        return key;
    }

    /** What a repeat must match: the SHA-256 of the payload's UTF-8 bytes, in hex (64 characters). */
    static String payloadHash(String payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
