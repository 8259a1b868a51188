package dev.breaker.breakit;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the seed writes them (Go's {@code time.ParseDuration}: {@code 10m}, {@code 1h30m},
 * {@code 500ms}, {@code 1.5h}; units ns, us, µs, ms, s, m, h) or as ISO-8601 ({@code PT10M}).
 * Negative durations are refused.
 */
final class Durations {
    /** Compiled only when a duration is not a plain number (class initialisation is lazy). */
    private static final class Forms {
        private Forms() {
        }

        static final Pattern GO = Pattern.compile("(?:(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+");
        static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    }

    private Durations() {
    }

    /** Parses {@code text}; {@code what} names the value in the error message. */
    static Duration parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new BadInput("BRKT001: " + what + " is empty");
        }
        String t = text.trim();
        if (t.startsWith("-")) {
            throw new BadInput("BRKT001: " + what + " must not be negative: '" + text + "'");
        }
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new BadInput("BRKT001: " + what + " must not be negative: '" + text + "'");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw malformed(what, text);
            }
        }
        if (!Forms.GO.matcher(t).matches()) {
            throw malformed(what, text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = Forms.PART.matcher(t);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                    .multiply(BigDecimal.valueOf(nanosPer(m.group(2)))));
        }
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            BigDecimal[] secs = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
            try {
                return Duration.ofSeconds(secs[0].longValueExact(), secs[1].longValue());
            } catch (ArithmeticException tooLong) {
                throw new BadInput("BRKT001: " + what + " is too long: '" + text + "'");
            }
        }
    }

    /** GNU's decimal or hexadecimal floating point number, then at most one of s, m, h, d. */
    private static final class Gnu {
        private Gnu() {
        }

        static final Pattern GNU = Pattern.compile(
            "[ \\t\\n\\x0B\\f\\r]*\\+?((?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?"
                    + "|0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)(?:[pP][+-]?\\d+)?"
                    + "|(?i:inf|infinity))([smhd]?)");
    }

    /**
     * A {@code run} duration in nanoseconds, read as GNU {@code timeout} reads it (a floating
     * point number of seconds with an optional {@code s}, {@code m}, {@code h} or {@code d}
     * suffix: {@code 5}, {@code 10.5}, {@code .1}, {@code 1e3}, {@code 1d}, {@code 0x10},
     * {@code inf}), else in our Go or ISO-8601 forms. 0 means no limit; values beyond about
     * 292 years saturate to {@link Long#MAX_VALUE}, as GNU saturates.
     */
    static long parseTimeout(String text, String what) {
        long plain = plainSeconds(text);
        if (plain >= 0) {
            return plain;
        }
        Matcher m = Gnu.GNU.matcher(text == null ? "" : text);
        if (!m.matches()) {
            Duration d = parse(text, what);
            return saturatedNanos(new BigDecimal(d.getSeconds()).multiply(BigDecimal.valueOf(1_000_000_000L))
                    .add(BigDecimal.valueOf(d.getNano())));
        }
        String number = m.group(1);
        long per = m.group(2).isEmpty() ? 1 : nanosPer(m.group(2).equals("d") ? "d" : m.group(2)) / 1_000_000_000L;
        BigDecimal seconds;
        String lower = number.toLowerCase(Locale.ROOT);
        if (lower.startsWith("inf")) {
            return Long.MAX_VALUE;
        } else if (lower.startsWith("0x")) {
            double v = Double.parseDouble(lower.contains("p") ? lower : lower + "p0");
            if (Double.isInfinite(v)) {
                return Long.MAX_VALUE;
            }
            seconds = new BigDecimal(v);
        } else {
            try {
                seconds = new BigDecimal(number);
            } catch (NumberFormatException | ArithmeticException e) {
                // an exponent beyond int: far too large, or far too small
                return number.matches(".*[eE]-.*") ? 0 : Long.MAX_VALUE;
            }
        }
        BigDecimal nanos = seconds.multiply(BigDecimal.valueOf(per)).multiply(BigDecimal.valueOf(1_000_000_000L));
        if (nanos.signum() > 0 && nanos.compareTo(BigDecimal.ONE) < 0) {
            return 1;   // GNU rounds a positive duration up to the clock's resolution, never to "no limit"
        }
        return saturatedNanos(nanos);
    }

    /**
     * The common case without a regular expression: digits with at most one point and at most
     * one suffix ({@code 5}, {@code 1.5}, {@code 10s}, {@code 2m}). -1 for anything else.
     */
    private static long plainSeconds(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return -1;
        }
        int end = text.length();
        long per = 1_000_000_000L;
        switch (text.charAt(end - 1)) {
            case 's': end--; break;
            case 'm': per = 60_000_000_000L; end--; break;
            case 'h': per = 3_600_000_000_000L; end--; break;
            case 'd': per = 86_400_000_000_000L; end--; break;
            default: break;
        }
        int digits = 0;
        int point = -1;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && point < 0) {
                point = i;
            } else {
                return -1;
            }
        }
        if (digits == 0) {
            return -1;
        }
        BigDecimal nanos = new BigDecimal(point == 0 ? "0" + text.substring(0, end) : text.substring(0, end))
                .multiply(BigDecimal.valueOf(per));
        return nanos.signum() > 0 && nanos.compareTo(BigDecimal.ONE) < 0 ? 1 : saturatedNanos(nanos);
    }

    private static long saturatedNanos(BigDecimal nanos) {
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) {
            return Long.MAX_VALUE;
        }
        return nanos.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /** Like {@link #parse} but refuses zero too. */
    static Duration parsePositive(String text, String what) {
        Duration d = parse(text, what);
        if (d.isZero()) {
            throw new BadInput("BRKT001: " + what + " must be greater than zero: '" + text + "'");
        }
        return d;
    }

    private static long nanosPer(String unit) {
        switch (unit) {
            case "ns": return 1L;
            case "us": case "µs": case "μs": return 1_000L;
            case "ms": return 1_000_000L;
            case "s": return 1_000_000_000L;
            case "m": return 60_000_000_000L;
            case "h": return 3_600_000_000_000L;
            case "d": return 86_400_000_000_000L;
            default: throw new IllegalStateException(unit);
        }
    }

    private static BadInput malformed(String what, String text) {
        return new BadInput("BRKT001: invalid " + what + " '" + text + "' (examples: 10m, 1h30m, 500ms, 2s, PT10M)");
    }

    /** Go's short form, to the millisecond below a second and to the second above: 1h30m, 2s, 500ms. */
    static String format(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = (ms + 500) / 1000;
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (sec > 0 || b.length() == 0) {
            b.append(sec).append('s');
        }
        return b.toString();
    }
}
