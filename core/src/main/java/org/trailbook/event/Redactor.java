package org.trailbook.event;

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
 *
 * <p>Three layers: values under secret keys or headers go whole; string bodies are understood as what
 * they carry (JSON, even after a byte-order mark or whitespace; a form or query string, with {@code
 * &} or {@code ;}); and every other string of the free-form and free-text places is {@linkplain
 * TextScrubber scrubbed} for secrets written inside text (parameters, JSON members, header lines, URL
 * passwords).
 */
public final class Redactor {
  /** What a removed value is replaced with. */
  public static final String MARKER = "[REDACTED]";

  private static final StringNode MARKER_NODE = StringNode.valueOf(MARKER);
  /** Nesting allowed inside a JSON document carried in a string body. */
  private static final int EMBEDDED_MAX_DEPTH = 64;

  private final RedactionRules rules;
  private final TextScrubber text;
  private final JsonMapper embedded;

  public Redactor(RedactionRules rules) {
    this.rules = rules;
    this.text = new TextScrubber(rules);
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
   * webhook.endpoint}), HTTP headers and bodies, secret keys and secrets inside strings in every
   * free-form place ({@code metadata}, {@code changes.before/after}, {@code context.location}), and
   * secrets inside the free-text fields ({@code error}, {@code job.error}, {@code
   * webhook.attempts[].error}, {@code context.user_agent}).
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
    if (event.get("context") instanceof ObjectNode context) {
      redactFreeForm(context, "location");
      scrubAt(context, "user_agent");
    }
    if (event.get("changes") instanceof ObjectNode changes) {
      redactFreeForm(changes, "before");
      redactFreeForm(changes, "after");
    }
    redactFreeForm(event, "metadata");
    scrubError(event.get("error"));
    if (event.get("job") instanceof ObjectNode job) scrubError(job.get("error"));
    if (event.get("webhook") instanceof ObjectNode webhook && webhook.get("attempts") instanceof ArrayNode attempts) {
      for (JsonNode attempt : attempts) scrubAt(attempt, "error");
    }
  }

  /** Secrets written inside a text (see {@link TextScrubber}); the same instance when there are none. */
  public String redactText(String value) {
    return text.scrub(value);
  }

  /**
   * Replaces, anywhere in the tree, the value of every key that matches a key word (unless it is
   * null), and scrubs every other string. Returns whether anything was replaced.
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
        } else if (e.getValue() instanceof StringNode s) {
          JsonNode r = scrubbed(s);
          if (r != s) {
            e.setValue(r);
            changed = true;
          }
        } else {
          changed |= redactTree(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode element = array.get(i);
        if (element instanceof StringNode s) {
          JsonNode r = scrubbed(s);
          if (r != s) {
            array.set(i, r);
            changed = true;
          }
        } else {
          changed |= redactTree(element);
        }
      }
    }
    return changed;
  }

  /**
   * Replaces the value of every header whose name is a secret header or matches a key word, and
   * scrubs the others (a {@code Referer} or {@code Location} can carry {@code ?token=…}).
   */
  public void redactHeaders(ObjectNode headers) {
    for (Map.Entry<String, JsonNode> e : headers.properties()) {
      if (e.getValue().isNull()) continue;
      if (rules.isSecretHeader(e.getKey())) {
        e.setValue(MARKER_NODE);
      } else if (e.getValue() instanceof StringNode s) {
        e.setValue(scrubbed(s));
      } else {
        redactTree(e.getValue());
      }
    }
  }

  /**
   * Redacts an HTTP body. A JSON object or array is redacted like {@link #redactTree}. A string that
   * holds a JSON object or array (after any byte-order mark and whitespace) is parsed, redacted and
   * re-serialized (left as sent if nothing was removed); if it looks like JSON but cannot be parsed
   * and mentions a key word, it is replaced whole. A string shaped like a form or query string
   * ({@code a=1&b=2}, {@code ?a=1;b=2}) has its secret parameters removed; any other is scrubbed.
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

  private String redactStringBody(String body) {
    int first = firstNonBlank(body, 0);
    if (first < 0) return body;
    char c = body.charAt(first);
    if (c == '{' || c == '[') {
      try {
        JsonNode tree = embedded.readTree(body.substring(first));
        if (tree != null && tree.isContainer()) {
          return redactTree(tree) ? embedded.writeValueAsString(tree) : body;
        }
      } catch (JacksonException e) {
        // not parseable: fall through to the conservative rule
      }
      return rules.mentionsKeyWord(body) ? MARKER : text.scrub(body);
    }
    int end = body.length();
    while (end > first && isBlank(body.charAt(end - 1))) end--;
    int from = c == '?' ? first + 1 : first;
    String params = body.substring(from, end);
    if (params.indexOf('=') >= 0 && firstBlank(params) < 0) {
      String redacted = text.parameters(params, false);
      return redacted == params ? body : body.substring(0, from) + redacted + body.substring(end);
    }
    return text.scrub(body);
  }

  /**
   * Removes secrets from a URL: the password of its user info ({@code https://user:pw@host}) and the
   * values of secret parameters in its query and fragment ({@code ?token=abc} becomes {@code
   * ?token=[REDACTED]}; pairs separated by {@code &} or {@code ;}; names percent-decoded). Anything
   * else is left exactly as given.
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
      out = out.substring(0, query + 1) + text.parameters(out.substring(query + 1), true);
      hash = out.indexOf('#', query);
    }
    if (hash >= 0 && out.indexOf('=', hash) >= 0) {
      out = out.substring(0, hash + 1) + text.parameters(out.substring(hash + 1), false);
    }
    return out;
  }

  private void redactUrlAt(JsonNode parent, String field) {
    if (parent instanceof ObjectNode object && object.get(field) instanceof StringNode url) {
      String redacted = redactUrl(url.stringValue());
      if (!redacted.equals(url.stringValue())) object.put(field, redacted);
    }
  }

  /** A free-form member (any JSON value): keys in trees, secrets inside strings. */
  private void redactFreeForm(ObjectNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v instanceof StringNode s) parent.set(field, scrubbed(s));
    else if (v != null) redactTree(v);
  }

  private void scrubError(JsonNode error) {
    scrubAt(error, "message");
    scrubAt(error, "stack");
    scrubAt(error, "type");
  }

  private void scrubAt(JsonNode parent, String field) {
    if (parent instanceof ObjectNode object && object.get(field) instanceof StringNode s) object.set(field, scrubbed(s));
  }

  private JsonNode scrubbed(StringNode s) {
    String v = s.stringValue();
    String r = text.scrub(v);
    return r == v ? s : StringNode.valueOf(r);
  }

  private static boolean isBlank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
  }

  private static int firstNonBlank(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (!isBlank(text.charAt(i))) return i;
    }
    return -1;
  }

  private static int firstBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isBlank(text.charAt(i))) return i;
    }
    return -1;
  }
}
