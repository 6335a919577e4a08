package org.trailbook.event;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the {@link Redactor} removes: HTTP header names (matched exactly, ignoring case) and key
 * words (matched as substrings of a key's normalized name: lower case, with {@code -}, {@code _},
 * {@code .} and whitespace removed, so {@code api_key}, {@code API-Key}, {@code api.key} and {@code api key}
 * all match {@code apikey}). Immutable and thread-safe.
 *
 * @param headers lower-case header names
 * @param keyWords normalized key words
 */
public record RedactionRules(Set<String> headers, Set<String> keyWords) {
  /** Header names redacted by default. */
  public static final List<String> DEFAULT_HEADERS =
      List.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key");

  /** Key words redacted by default. */
  public static final List<String> DEFAULT_KEY_WORDS =
      List.of(
          "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "accesskey",
          "privatekey", "credential", "authorization", "signature", "cookie");

  /** The defaults. */
  public static final RedactionRules DEFAULTS =
      new RedactionRules(Set.copyOf(DEFAULT_HEADERS), Set.copyOf(DEFAULT_KEY_WORDS));

  public RedactionRules {
    headers = Set.copyOf(headers.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList());
    keyWords = Set.copyOf(keyWords.stream().map(RedactionRules::normalize).filter(w -> !w.isEmpty()).toList());
  }

  /**
   * Rules from two comma-separated settings, such as {@code TRAILBOOK_REDACT_HEADERS} and {@code
   * TRAILBOOK_REDACT_KEYS}. Each entry is added to the defaults; an entry starting with {@code -}
   * removes that default instead (e.g. {@code -token}). Null or blank keeps the defaults.
   */
  public static RedactionRules fromConfig(String headers, String keyWords) {
    Set<String> h = apply(DEFAULT_HEADERS, headers, s -> s.toLowerCase(Locale.ROOT));
    Set<String> k = apply(DEFAULT_KEY_WORDS, keyWords, RedactionRules::normalize);
    return new RedactionRules(h, k);
  }

  /** Whether a header with this name has its value removed (by name or by key word). */
  public boolean isSecretHeader(String name) {
    return headers.contains(name.toLowerCase(Locale.ROOT)) || isSecretKey(name);
  }

  /** Whether a JSON key (or URL parameter) with this name has its value removed. */
  public boolean isSecretKey(String key) {
    String normalized = normalize(key);
    for (String word : keyWords) {
      if (normalized.contains(word)) return true;
    }
    return false;
  }

  /** Whether the text mentions any key word at all (used for bodies that cannot be parsed). */
  boolean mentionsKeyWord(String text) {
    return isSecretKey(text);
  }

  static String normalize(String key) {
    StringBuilder out = null;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean drop = c == '-' || c == '_' || c == '.' || Character.isWhitespace(c);
      boolean upper = c >= 'A' && c <= 'Z' || (c > 0x7f && Character.isUpperCase(c));
      if (out == null && (drop || upper)) out = new StringBuilder(key.length()).append(key, 0, i);
      if (out != null && !drop) out.append(upper ? Character.toLowerCase(c) : c);
    }
    return out == null ? key.trim() : out.toString().trim();
  }

  private static Set<String> apply(
      List<String> defaults, String config, java.util.function.UnaryOperator<String> norm) {
    Set<String> out = new LinkedHashSet<>(defaults);
    if (config == null) return out;
    for (String raw : config.split(",")) {
      String entry = raw.trim();
      if (entry.startsWith("-")) {
        out.remove(norm.apply(entry.substring(1).trim()));
      } else if (!entry.isEmpty()) {
        out.add(norm.apply(entry));
      }
    }
    return out;
  }
}
