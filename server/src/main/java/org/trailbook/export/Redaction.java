package org.trailbook.export;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.trailbook.Json;
import org.trailbook.canonical.Jcs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Redaction profiles for handing an export to outside parties. A redacted entry is rewritten (and re-serialised as
 * RFC 8785 JSON with {@code "redaction":"<profile>"} added), so it no longer hashes to its Merkle leaf: bundles say
 * {@code redacted: true} and verifiers report "redacted export" instead of tampering.
 *
 * <ul>
 *   <li>{@code none}: the entries as stored.
 *   <li>{@code external}: drops {@code http.request.body} and {@code http.response.body}; masks every e-mail address in
 *       any string ({@code riley@example.com} → {@code r***@example.com}); drops the last octet of every IPv4 address
 *       given as a whole value ({@code 203.0.113.7} → {@code 203.0.113.0}) and keeps only the /48 of IPv6 ones.
 *   <li>{@code strict}: {@code external}, and also drops {@code changes}, {@code metadata}, {@code http.request}, {@code
 *       http.response}, {@code error.stack}, {@code job.error.stack}, {@code context.user_agent}, {@code
 *       context.session_id}, {@code context.location}, {@code actor.name} and {@code summary}.
 * </ul>
 */
public enum Redaction {
  NONE(List.of()),
  EXTERNAL(List.of("http.request.body", "http.response.body")),
  STRICT(List.of("http.request", "http.response", "changes", "metadata", "error.stack", "job.error.stack", "context.user_agent",
      "context.session_id", "context.location", "actor.name", "summary"));

  private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");
  private static final Map<String, Redaction> BY_NAME = Map.of("none", NONE, "external", EXTERNAL, "strict", STRICT);

  private final List<String> dropped;

  Redaction(List<String> dropped) {
    this.dropped = dropped;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The profile called {@code name} (null means {@code none}); a 400 naming {@code field} otherwise. */
  public static Redaction parse(String name, String field) {
    if (name == null || name.isBlank()) return NONE;
    Redaction r = BY_NAME.get(name);
    if (r == null) throw ExportFormat.bad(field, "'" + name + "' is not one of none, external, strict");
    return r;
  }

  /** The rewrite of canonical entry bytes, or null for {@code none} (the bytes stay exactly as hashed). */
  public UnaryOperator<byte[]> operator() {
    return this == NONE ? null : this::apply;
  }

  byte[] apply(byte[] canonical) {
    ObjectNode entry = (ObjectNode) Json.MAPPER.readTree(canonical);
    List<String> drop = this == STRICT ? concat(EXTERNAL.dropped, dropped) : dropped;
    for (String path : drop) remove(entry, path);
    JsonNode masked = mask(entry);
    ((ObjectNode) masked).put("redaction", wireName());
    return Jcs.canonicalize(masked);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static void remove(ObjectNode entry, String path) {
    String[] parts = path.split("\\.");
    JsonNode at = entry;
    for (int i = 0; i < parts.length - 1; i++) {
      at = at.get(parts[i]);
      if (at == null || !at.isObject()) return;
    }
    ((ObjectNode) at).remove(parts[parts.length - 1]);
  }

  private static JsonNode mask(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      for (String name : List.copyOf(o.propertyNames())) o.set(name, mask(o.get(name)));
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = (ArrayNode) node;
      for (int i = 0; i < a.size(); i++) a.set(i, mask(a.get(i)));
      return a;
    }
    if (node.isString()) {
      String s = node.asString();
      String out = maskString(s);
      return out.equals(s) ? node : StringNode.valueOf(out);
    }
    return node;
  }

  static String maskString(String s) {
    if (IPV4.matcher(s).matches()) {
      int dot = s.lastIndexOf('.');
      return s.substring(0, dot) + ".0";
    }
    if (s.length() <= 45 && IPV6.matcher(s).matches()) {
      try {
        byte[] a = InetAddress.getByName(s).getAddress(); // a literal: no lookup
        if (a.length == 16) {
          for (int i = 6; i < 16; i++) a[i] = 0;
          return InetAddress.getByAddress(a).getHostAddress();
        }
      } catch (UnknownHostException e) {
        // not an address after all
      }
    }
    if (s.indexOf('@') < 0) return s;
    return EMAIL.matcher(s).replaceAll("$1***@$2");
  }
}
