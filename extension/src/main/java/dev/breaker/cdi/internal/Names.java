package dev.breaker.cdi.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Worker and breaker naming rules. Stateless; thread-safe. */
public final class Names {
    /** What a {@code @BreakerConfig} name must look like: it becomes a configuration key segment. */
    public static final Pattern BREAKER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** Segments under {@code breaker.} that belong to the extension itself. */
    public static final Set<String> RESERVED = Set.of("default", "worker", "shutdown");

    private Names() {
    }

    /**
     * The worker name for a bean: its non-empty {@code @Named} value if any, else its simple class
     * name in kebab case ({@code OrderStore} gives {@code order-store}, {@code HTTPServer} gives
     * {@code http-server}). Nested classes use their own simple name.
     */
    public static String workerName(String className, String explicitName) {
        if (explicitName != null && !explicitName.isEmpty()) {
            return explicitName;
        }
        return kebab(simpleName(className));
    }

    static String simpleName(String className) {
        String s = className.substring(className.lastIndexOf('.') + 1);
        return s.substring(s.lastIndexOf('$') + 1);
    }

    static String kebab(String simple) {
        StringBuilder out = new StringBuilder(simple.length() + 4);
        for (int i = 0; i < simple.length(); i++) {
            char c = simple.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean prevLowerOrDigit = i > 0 && !Character.isUpperCase(simple.charAt(i - 1));
                boolean acronymEnd = i > 0 && Character.isUpperCase(simple.charAt(i - 1))
                        && i + 1 < simple.length() && Character.isLowerCase(simple.charAt(i + 1));
                if ((prevLowerOrDigit || acronymEnd) && out.length() > 0 && out.charAt(out.length() - 1) != '-') {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else if (c == '_') {
                out.append('-');
            } else {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code name} is a valid, unreserved breaker name. */
    public static boolean isValidBreakerName(String name) {
        return name != null && BREAKER_NAME.matcher(name).matches() && !RESERVED.contains(name);
    }
}
