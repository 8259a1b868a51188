package dev.breaker.breakit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Arguments that are not text in this JVM's encoding, passed on byte for byte. The JVM decodes
 * its arguments with the locale's charset ({@code sun.jnu.encoding}, fixed at start) and encodes a
 * child's arguments with it again, so {@code a\xffb} would reach the command as {@code a\uFFFDb}
 * (and under {@code LC_ALL=C} every non-ASCII byte as {@code ?}). When a word of the command was
 * not decoded cleanly, its bytes are read from {@code /proc/self/cmdline} and the command is started
 * through {@code /bin/sh}, from a script of ASCII only that rebuilds each word with {@code printf}
 * octal escapes and then {@code exec}s it: same process, same bytes.
 */
final class RawArgs {
    private RawArgs() {
    }

    /**
     * The {@code sh -c} command line that runs {@code command} with its original bytes, or null if
     * every word of it was decoded cleanly (or its bytes cannot be found).
     */
    static List<String> script(List<String> command, String[] mainArgs, int commandFrom) {
        if (mainArgs == null || !needsBytes(command)) {
            return null;
        }
        List<byte[]> words = cmdline();
        if (words == null || words.size() < mainArgs.length) {
            return null;
        }
        List<byte[]> ours = words.subList(words.size() - mainArgs.length + commandFrom, words.size());
        if (ours.size() != command.size()) {
            return null;
        }
        StringBuilder sh = new StringBuilder();
        for (int k = 0; k < ours.size(); k++) {
            // $(...) drops trailing newlines: one x more, cut off after
            sh.append("a").append(k).append("=$(printf '");
            for (byte b : ours.get(k)) {
                sh.append('\\').append(Integer.toOctalString((b & 0xff) | 0x200).substring(1));
            }
            sh.append("x'); a").append(k).append("=${a").append(k).append("%x}\n");
        }
        sh.append("exec");
        for (int k = 0; k < ours.size(); k++) {
            sh.append(" \"$a").append(k).append('"');
        }
        sh.append('\n');
        return List.of("/bin/sh", "-c", sh.toString());
    }

    /** Whether a word holds U+FFFD or '?' from an undecodable byte (or any non-ASCII under an ASCII locale). */
    private static boolean needsBytes(List<String> command) {
        for (String w : command) {
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c == '\uFFFD' || c == '?' && !isUtf8Locale()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isUtf8Locale() {
        String jnu = System.getProperty("sun.jnu.encoding", "");
        return jnu.equalsIgnoreCase("UTF-8") || jnu.equalsIgnoreCase("UTF8");
    }

    /** This process's arguments as bytes, from /proc; null without it. */
    private static List<byte[]> cmdline() {
        try {
            byte[] all = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            List<byte[]> words = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == 0) {
                    byte[] w = new byte[i - start];
                    System.arraycopy(all, start, w, 0, w.length);
                    words.add(w);
                    start = i + 1;
                }
            }
            return words;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
