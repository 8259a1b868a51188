package dev.breaker.breakit;

import java.util.Locale;

/**
 * Linux signal names and numbers, read as GNU {@code timeout -s} reads them: a name with or
 * without {@code SIG} in any case ({@code TERM}, {@code sigterm}), a number 0 to 64, or
 * {@code RTMIN+n} / {@code RTMAX-n}.
 */
final class SignalNames {
    static final int HUP = 1;
    static final int INT = 2;
    static final int KILL = 9;
    static final int ALRM = 14;
    static final int TERM = 15;
    static final int CONT = 18;
    private static final int RTMIN = 34;
    private static final int RTMAX = 64;
    /** Index = number (x86-64, arm64 and most Linux ports). */
    private static final String[] NAMES = {"EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
            "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    private SignalNames() {
    }

    /** The number of {@code operand}, or -1 if it names no signal. */
    static int parse(String operand) {
        if (operand == null || operand.isEmpty()) {
            return -1;
        }
        if (operand.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (operand.length() > 3) {
                return -1;
            }
            int n = Integer.parseInt(operand);
            return n <= RTMAX ? n : -1;
        }
        String n = operand.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        switch (n) {
            case "IOT": return 6;
            case "CLD": return 17;
            case "POLL": return 29;
            case "RTMIN": return RTMIN;
            case "RTMAX": return RTMAX;
            default:
                break;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(n)) {
                return i;
            }
        }
        if (n.matches("RTMIN\\+\\d{1,2}") || n.matches("RTMAX-\\d{1,2}")) {
            int off = Integer.parseInt(n.substring(6));
            int sig = n.startsWith("RTMIN") ? RTMIN + off : RTMAX - off;
            return sig >= RTMIN && sig <= RTMAX ? sig : -1;
        }
        return -1;
    }

    /** {@code TERM}, {@code RTMIN+3}, as {@code kill -l} names them. */
    static String name(int sig) {
        if (sig >= 0 && sig < NAMES.length) {
            return NAMES[sig];
        }
        if (sig >= RTMIN && sig <= RTMAX) {
            return sig - RTMIN <= (RTMAX - RTMIN) / 2 ? (sig == RTMIN ? "RTMIN" : "RTMIN+" + (sig - RTMIN))
                    : (sig == RTMAX ? "RTMAX" : "RTMAX-" + (RTMAX - sig));
        }
        return Integer.toString(sig);
    }

    /**
     * Whether a process that dies of {@code sig} just terminates (no core dump, not a stop):
     * the signals breakit re-raises on itself when the command died of one.
     */
    static boolean terminates(int sig) {
        switch (sig) {
            case 1: case 2: case 9: case 10: case 12: case 13: case 14: case 15: case 16: case 26: case 27:
            case 29: case 30:
                return true;
            default:
                return sig >= RTMIN && sig <= RTMAX;
        }
    }
}
