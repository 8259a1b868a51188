package dev.breaker.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation of a {@code POST /events} body: everything that could never be stored is refused
 * here, before anything is acknowledged. A body is bytes in the declared charset (UTF-8 if none)
 * and must decode without a single malformed sequence; the payload must be a non-blank string
 * without NUL or unpaired surrogates whose original and transformed forms both fit
 * {@link #MAX_PAYLOAD} characters.
 */
final class Payloads {
    /** Characters, in the payload and in its transformed form alike (the columns' size). */
    static final int MAX_PAYLOAD = 4000;
    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]+)\"?");

    private Payloads() {
    }

    /** The payload of a body {@code {"payload": "<text>"}}; IllegalArgumentException says what is wrong. */
    static String parse(byte[] body, String contentType, ObjectMapper mapper) {
        String text = decode(body == null ? new byte[0] : body, charsetOf(contentType));
        if (text.isBlank()) {
            throw new IllegalArgumentException("the body is empty; send {\"payload\": \"<text>\"}");
        }
        JsonNode root;
        try {
            // strict: nothing after the object, and no key twice (which of two "payload"s would be
            // the event is not for us to guess)
            root = mapper.reader()
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON (" + e.getOriginalMessage()
                    + "); send {\"payload\": \"<text>\"}");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object like {\"payload\": \"<text>\"}");
        }
        JsonNode payload = root.get("payload");
        if (payload == null || payload.isNull()) {
            throw new IllegalArgumentException("\"payload\" is missing; send {\"payload\": \"<text>\"}");
        }
        if (!payload.isTextual()) {
            throw new IllegalArgumentException("\"payload\" must be a string, not " + payload.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String value = payload.textValue();
        if (value.isBlank()) {
            throw new IllegalArgumentException("\"payload\" must not be blank");
        }
        if (value.length() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("\"payload\" is " + value.length() + " characters long; the limit is " + MAX_PAYLOAD);
        }
        checkCharacters(value);
        int transformed = Transform.apply(value).length();
        if (transformed > MAX_PAYLOAD) {
            throw new IllegalArgumentException("\"payload\" is " + transformed + " characters long once transformed"
                    + " (upper-cased); the limit is " + MAX_PAYLOAD);
        }
        return value;
    }

    private static Charset charsetOf(String contentType) {
        if (contentType == null) {
            return StandardCharsets.UTF_8;
        }
        Matcher m = CHARSET.matcher(contentType);
        if (!m.find()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(m.group(1));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("unknown charset \"" + printable(m.group(1)) + "\"; send UTF-8");
        }
    }

    /** Strict decoding: a malformed or unmappable sequence is an error, never U+FFFD. */
    private static String decode(byte[] body, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the body is not valid " + charset.name() + " (" + e.getMessage() + ")");
        }
    }

    private static void checkCharacters(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw new IllegalArgumentException("\"payload\" contains NUL (\\u0000) at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a pair: one supplementary character
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("\"payload\" contains an unpaired surrogate (\\u"
                        + Integer.toHexString(c) + ") at index " + i);
            }
        }
    }

    /** For messages: what the client sent, without control characters, at most 40 characters. */
    static String printable(String s) {
        String t = s.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }
}
