package org.trailbook.event;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Removes secrets from events according to {@link RedactionRules}, replacing each removed value by
 * the string {@value #MARKER}. Works in place on the trees it is given. Thread-safe.
 */
public final class Redactor {
  /** What a removed value is replaced with. */
  public static final String MARKER = "[REDACTED]";

  private static final StringNode MARKER_NODE = StringNode.valueOf(MARKER);
  /** Nesting allowed inside a JSON document carried in a string body. */
  private static final int EMBEDDED_MAX_DEPTH = 64;

  private final RedactionRules rules;
  private final JsonMapper embedded;

  public Redactor(RedactionRules rules) {
    this.rules = rules;
    this.embedded =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(EMBEDDED_MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
  }

  public RedactionRules rules() {
    return rules;
  }

  /**
   * Redacts a normalized event in place: URLs ({@code resource.url}, {@code http.url}, {@code
   * webhook.endpoint}), HTTP headers and bodies, and secret keys in every free-form place ({@code
   * metadata}, {@code changes.before/after}, {@code context.location}).
   */
  public void redactEvent(ObjectNode event) {
    redactUrlAt(event.get("resource"), "url");
    redactUrlAt(event.get("webhook"), "endpoint");
    JsonNode http = event.get("http");
    if (http instanceof ObjectNode h) {
      redactUrlAt(h, "url");
      for (String side : new String[] {"request", "response"}) {
        if (h.get(side) instanceof ObjectNode message) {
          if (message.get("headers") instanceof ObjectNode headers) redactHeaders(headers);
          JsonNode body = message.get("body");
          if (body != null) message.set("body", redactBody(body));
        }
      }
    }
    if (event.get("context") instanceof ObjectNode context && context.get("location") != null) {
      redactTree(context.get("location"));
    }
    if (event.get("changes") instanceof ObjectNode changes) {
      if (changes.get("before") != null) redactTree(changes.get("before"));
      if (changes.get("after") != null) redactTree(changes.get("after"));
    }
    if (event.get("metadata") != null) redactTree(event.get("metadata"));
  }

  /**
   * Replaces, anywhere in the tree, the value of every key that matches a key word (unless it is
   * null). Returns whether anything was replaced.
   */
  public boolean redactTree(JsonNode node) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        if (rules.isSecretKey(e.getKey())) {
          if (!e.getValue().isNull() && !MARKER_NODE.equals(e.getValue())) {
            e.setValue(MARKER_NODE);
            changed = true;
          }
        } else {
          changed |= redactTree(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) changed |= redactTree(element);
    }
    return changed;
  }

  /** Replaces the value of every header whose name is a secret header or matches a key word. */
  public void redactHeaders(ObjectNode headers) {
    for (Map.Entry<String, JsonNode> e : headers.properties()) {
      if (!e.getValue().isNull() && rules.isSecretHeader(e.getKey())) e.setValue(MARKER_NODE);
    }
  }

  /**
   * Redacts an HTTP body. A JSON object or array is redacted like {@link #redactTree}. A string that
   * holds a JSON object or array is parsed, redacted and re-serialized (left as sent if nothing was
   * removed); if it looks like JSON but cannot be parsed and mentions a key word, it is replaced
   * whole. A string shaped like a form ({@code a=1&b=2}) has its secret parameters removed.
   */
  public JsonNode redactBody(JsonNode body) {
    if (body.isContainer()) {
      redactTree(body);
      return body;
    }
    if (!body.isString()) return body;
    String text = body.stringValue();
    String redacted = redactStringBody(text);
    return redacted.equals(text) ? body : StringNode.valueOf(redacted);
  }

  private String redactStringBody(String text) {
    int first = firstNonBlank(text);
    if (first < 0) return text;
    char c = text.charAt(first);
    if (c == '{' || c == '[') {
      try {
        JsonNode tree = embedded.readTree(text);
        if (tree != null && tree.isContainer()) {
          return redactTree(tree) ? embedded.writeValueAsString(tree) : text;
        }
      } catch (JacksonException e) {
        // not parseable: fall through to the conservative rule
      }
      return rules.mentionsKeyWord(text) ? MARKER : text;
    }
    if (looksLikeForm(text)) return redactParameters(text, '&');
    return text;
  }

  /**
   * Removes secrets from a URL: the password of its user info ({@code https://user:pw@host}) and the
   * values of secret parameters in its query and fragment ({@code ?token=abc} becomes {@code
   * ?token=[REDACTED]}). Anything else is left exactly as given.
   */
  public String redactUrl(String url) {
    String out = url;
    int scheme = out.indexOf("://");
    if (scheme >= 0) {
      int authorityStart = scheme + 3;
      int authorityEnd = authorityStart;
      while (authorityEnd < out.length() && "/?#".indexOf(out.charAt(authorityEnd)) < 0) authorityEnd++;
      int at = out.lastIndexOf('@', authorityEnd - 1);
      if (at >= authorityStart) {
        int colon = out.indexOf(':', authorityStart);
        if (colon >= 0 && colon < at) out = out.substring(0, colon + 1) + MARKER + out.substring(at);
      }
    }
    int hash = out.indexOf('#');
    int query = out.indexOf('?');
    if (query >= 0 && (hash < 0 || query < hash)) {
      int end = hash < 0 ? out.length() : hash;
      out = out.substring(0, query + 1) + redactParameters(out.substring(query + 1, end), '&') + out.substring(end);
      hash = out.indexOf('#', query);
    }
    if (hash >= 0 && out.indexOf('=', hash) >= 0) {
      out = out.substring(0, hash + 1) + redactParameters(out.substring(hash + 1), '&');
    }
    return out;
  }

  private void redactUrlAt(JsonNode parent, String field) {
    if (parent instanceof ObjectNode object && object.get(field) instanceof StringNode url) {
      String redacted = redactUrl(url.stringValue());
      if (!redacted.equals(url.stringValue())) object.put(field, redacted);
    }
  }

  /** {@code name=value} pairs separated by {@code separator}; secret names get the marker. */
  private String redactParameters(String params, char separator) {
    StringBuilder out = new StringBuilder(params.length());
    int from = 0;
    boolean changed = false;
    while (from <= params.length()) {
      int end = params.indexOf(separator, from);
      if (end < 0) end = params.length();
      String pair = params.substring(from, end);
      int eq = pair.indexOf('=');
      if (eq >= 0 && rules.isSecretKey(decode(pair.substring(0, eq)))) {
        out.append(pair, 0, eq + 1).append(MARKER);
        changed = true;
      } else {
        out.append(pair);
      }
      if (end < params.length()) out.append(separator);
      from = end + 1;
    }
    return changed ? out.toString() : params;
  }

  private static String decode(String name) {
    try {
      return URLDecoder.decode(name, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return name;
    }
  }

  private static boolean looksLikeForm(String text) {
    if (text.indexOf('=') < 0) return false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == '{' || c == '[' || c == '"') return false;
    }
    return true;
  }

  private static int firstNonBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isWhitespace(text.charAt(i))) return i;
    }
    return -1;
  }
}
