package dev.breaker.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough YAML for the sample's Kubernetes manifests, so that checking them needs no new
 * dependency: documents separated by {@code ---}, block mappings, block sequences (of scalars or
 * of mappings), plain or quoted scalars, comments. Anything else (flow style, block scalars,
 * anchors, tags) is refused with the line number, never guessed at. Scalars stay strings.
 */
final class MiniYaml {
    private record Line(int number, int indent, String text) {
    }

    private final List<Line> lines = new ArrayList<>();
    private int pos;

    private MiniYaml() {
    }

    /** The documents of {@code text}, each a {@code Map<String, Object>}. */
    static List<Map<String, Object>> parseAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int first = 1;
        String[] raw = text.split("\n", -1);
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i].strip().equals("---")) {
                MiniYaml y = new MiniYaml();
                y.load(current, first);
                if (!y.lines.isEmpty()) {
                    docs.add(y.mapping(y.lines.get(0).indent()));
                    if (y.pos < y.lines.size()) {
                        throw y.error(y.lines.get(y.pos), "unexpected indentation");
                    }
                }
                current = new ArrayList<>();
                first = i + 2;
            } else {
                current.add(raw[i]);
            }
        }
        return docs;
    }

    private void load(List<String> raw, int firstNumber) {
        for (int i = 0; i < raw.size(); i++) {
            String s = stripComment(raw.get(i)).stripTrailing();
            if (s.isBlank()) {
                continue;
            }
            if (s.contains("\t")) {
                throw new IllegalArgumentException("line " + (firstNumber + i) + ": tabs are not YAML indentation");
            }
            int indent = s.length() - s.stripLeading().length();
            lines.add(new Line(firstNumber + i, indent, s.strip()));
        }
    }

    private static String stripComment(String s) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static boolean isItem(Line l) {
        return l.text().equals("-") || l.text().startsWith("- ");
    }

    private Object block(int indent) {
        Line l = lines.get(pos);
        return isItem(l) ? sequence(indent) : mapping(indent);
    }

    private Map<String, Object> mapping(int indent) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (pos < lines.size() && lines.get(pos).indent() == indent && !isItem(lines.get(pos))) {
            Line l = lines.get(pos++);
            int colon = keyEnd(l);
            String key = unquote(l.text().substring(0, colon).strip());
            String rest = l.text().substring(colon + 1).strip();
            if (map.containsKey(key)) {
                throw error(l, "duplicate key " + key);
            }
            Object value;
            if (!rest.isEmpty()) {
                value = scalar(l, rest);
            } else if (pos < lines.size() && lines.get(pos).indent() > indent) {
                value = block(lines.get(pos).indent());
            } else if (pos < lines.size() && lines.get(pos).indent() == indent && isItem(lines.get(pos))) {
                value = sequence(indent); // a sequence may sit at its key's indentation
            } else {
                value = null;
            }
            map.put(key, value);
        }
        return map;
    }

    private List<Object> sequence(int indent) {
        List<Object> list = new ArrayList<>();
        while (pos < lines.size() && lines.get(pos).indent() == indent && isItem(lines.get(pos))) {
            Line l = lines.get(pos);
            String content = l.text().equals("-") ? "" : l.text().substring(2).strip();
            if (content.isEmpty()) {
                pos++;
                list.add(pos < lines.size() && lines.get(pos).indent() > indent ? block(lines.get(pos).indent()) : null);
            } else if (looksLikeEntry(content)) {
                // "- key: value" opens a mapping whose keys are aligned with "key"
                int inner = indent + l.text().indexOf(content);
                lines.set(pos, new Line(l.number(), inner, content));
                list.add(mapping(inner));
            } else {
                pos++;
                list.add(scalar(l, content));
            }
        }
        return list;
    }

    private static boolean looksLikeEntry(String s) {
        if (s.startsWith("\"") || s.startsWith("'")) {
            return false;
        }
        int colon = s.indexOf(':');
        return colon > 0 && (colon == s.length() - 1 || s.charAt(colon + 1) == ' ');
    }

    private int keyEnd(Line l) {
        String t = l.text();
        int colon = t.indexOf(':');
        while (colon >= 0 && colon + 1 < t.length() && t.charAt(colon + 1) != ' ') {
            colon = t.indexOf(':', colon + 1);
        }
        if (colon <= 0) {
            throw error(l, "expected 'key: value'");
        }
        return colon;
    }

    private Object scalar(Line l, String s) {
        char c = s.charAt(0);
        if (c == '{' || c == '[' || c == '|' || c == '>' || c == '&' || c == '*' || c == '!') {
            throw error(l, "unsupported YAML (flow style, block scalar, anchor or tag): " + s);
        }
        return unquote(s);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private IllegalArgumentException error(Line l, String message) {
        return new IllegalArgumentException("line " + l.number() + ": " + message + ": " + l.text());
    }
}
