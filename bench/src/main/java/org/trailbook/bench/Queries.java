package org.trailbook.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

/**
 * Q1–Q6, each as one randomized draw that both sides answer: Trailbook through its HTTP API, the
 * peer through SQL over JDBC. Each answer is reduced to a comparable form (ids in order, or counts),
 * so a small run can check that both sides return the same thing.
 */
final class Queries {
  /** One query, ready to run on either side. */
  interface Draw {
    /** The HTTP call alone (timed): the answer's bytes as they arrive. */
    byte[] trailbook(Http http, Map<String, String> keys);

    /** The comparable answer from those bytes (not timed: a client reads what it needs). */
    Object trailbookAnswer(byte[] body);

    Object postgres(Connection c) throws SQLException;
  }

  static final String NEWEST = " ORDER BY time DESC, seq DESC LIMIT 20";

  static Draw draw(String id, QueryPlan plan, Random r, String rareWord) {
    return switch (id) {
      case "Q1" -> {
        String ws = plan.workspace(r);
        yield page(ws, "", "SELECT id, doc::text FROM events WHERE workspace = ?" + NEWEST, ws);
      }
      case "Q2" -> {
        String ws = plan.workspace(r);
        List<String> cats = plan.categories.get(ws);
        String cat = cats.get(r.nextInt(cats.size()));
        Instant from = plan.daysBack(7);
        yield page(ws, "&category=" + enc(cat) + "&status=failure&from=" + from + "&to=" + plan.end,
            "SELECT id, doc::text FROM events WHERE workspace = ? AND category = ? AND status = 'failure' AND time >= ? AND time < ?" + NEWEST,
            ws, cat, Timestamp.from(from), Timestamp.from(plan.end));
      }
      case "Q3" -> {
        String ws = plan.workspace(r);
        yield page(ws, "&q=" + enc(rareWord),
            "SELECT id, doc::text FROM events WHERE workspace = ? AND tsv @@ plainto_tsquery('simple', ?)" + NEWEST, ws, rareWord);
      }
      case "Q4" -> {
        String ws = plan.workspace(r);
        List<String[]> rs = plan.resources.get(ws);
        String[] res = rs.get(r.nextInt(rs.size()));
        yield page(ws, "&resource_type=" + enc(res[0]) + "&resource_id=" + enc(res[1]),
            "SELECT id, doc::text FROM events WHERE workspace = ? AND resource_type = ? AND resource_id = ?" + NEWEST, ws, res[0], res[1]);
      }
      case "Q5" -> stats(plan.largest, plan.daysBack(30), plan.end);
      case "Q6" -> facets(plan.largest, plan.daysBack(7), plan.end);
      default -> throw new IllegalArgumentException(id);
    };
  }

  private static Draw page(String ws, String params, String sql, Object... args) {
    return new Draw() {
      public byte[] trailbook(Http http, Map<String, String> keys) {
        return http.getRaw("/v1/events?limit=20" + params, keys.get(ws));
      }

      public Object trailbookAnswer(byte[] body) {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : Json.MAPPER.readTree(body).get("events")) ids.add(e.get("id").asString());
        return ids;
      }

      public Object postgres(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
            rs.getString(2); // the whole entry travels, as it does over HTTP
          }
        }
        return ids;
      }
    };
  }

  /** Q5: KPIs, the daily split series, top 4 actors and counts by category for a window. */
  private static Draw stats(String ws, Instant from, Instant to) {
    Instant prev = from.minus(java.time.Duration.between(from, to));
    return new Draw() {
      public byte[] trailbook(Http http, Map<String, String> keys) {
        return http.getRaw("/v1/stats?bucket=day&from=" + from + "&to=" + to, keys.get(ws));
      }

      public Object trailbookAnswer(byte[] body) {
        JsonNode s = Json.MAPPER.readTree(body);
        Map<String, Object> out = new TreeMap<>();
        for (String k : List.of("total", "previous_total", "sign_ins", "writes", "reads_other", "unique_ips")) out.put(k, s.get(k).asLong());
        List<Long> series = new ArrayList<>();
        for (JsonNode p : s.get("series")) series.addAll(List.of(p.get("auth").asLong(), p.get("writes").asLong(), p.get("other").asLong()));
        out.put("series", series);
        List<Long> top = new ArrayList<>();
        for (JsonNode a : s.get("top_actors")) top.add(a.get("count").asLong());
        out.put("top_actors", top);
        Map<String, Long> cats = new TreeMap<>();
        for (JsonNode c : s.get("by_category")) cats.put(c.get("category").asString(), c.get("count").asLong());
        out.put("by_category", cats);
        return out;
      }

      public Object postgres(Connection c) throws SQLException {
        Map<String, Object> out = new TreeMap<>();
        Timestamp f = Timestamp.from(from), t = Timestamp.from(to), p = Timestamp.from(prev);
        String window = " FROM events WHERE workspace = ? AND time >= ? AND time < ?";
        try (PreparedStatement ps = prepare(c, "SELECT count(*) FILTER (WHERE time >= ?),"
            + " count(*) FILTER (WHERE time < ?),"
            + " count(*) FILTER (WHERE time >= ? AND action IN ('auth.login','auth.sign_in','auth.signed_in')),"
            + " count(*) FILTER (WHERE time >= ? AND is_write),"
            + " count(DISTINCT ip) FILTER (WHERE time >= ?)" + window, f, f, f, f, f, ws, p, t);
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.put("total", rs.getLong(1));
          out.put("previous_total", rs.getLong(2));
          out.put("sign_ins", rs.getLong(3));
          out.put("writes", rs.getLong(4));
          out.put("reads_other", rs.getLong(1) - rs.getLong(3) - rs.getLong(4));
          out.put("unique_ips", rs.getLong(5));
        }
        List<Long> series = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, "SELECT d, coalesce(a, 0), coalesce(w, 0), coalesce(o, 0) FROM generate_series("
            + "date_trunc('day', ?::timestamptz AT TIME ZONE 'UTC'), ?::timestamptz AT TIME ZONE 'UTC' - interval '1 microsecond', interval '1 day') d"
            + " LEFT JOIN (SELECT date_trunc('day', time AT TIME ZONE 'UTC') b, count(*) FILTER (WHERE type = 'auth') a,"
            + " count(*) FILTER (WHERE type <> 'auth' AND is_write) w, count(*) FILTER (WHERE type <> 'auth' AND NOT is_write) o"
            + window + " GROUP BY b) s ON s.b = d ORDER BY d", f, t, ws, f, t);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) series.addAll(List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
        out.put("series", series);
        List<Long> top = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, "SELECT actor_id, count(*), max(time)" + window
            + " AND actor_id IS NOT NULL AND actor_type <> 'system' GROUP BY actor_id ORDER BY count(*) DESC, actor_id LIMIT 4", ws, f, t);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) top.add(rs.getLong(2));
        }
        out.put("top_actors", top);
        Map<String, Long> cats = new TreeMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT category, count(*)" + window + " GROUP BY category", ws, f, t);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) cats.put(rs.getString(1), rs.getLong(2));
        }
        out.put("by_category", cats);
        return out;
      }
    };
  }

  /** Q6: counts per category, type and status for a window. */
  private static Draw facets(String ws, Instant from, Instant to) {
    return new Draw() {
      public byte[] trailbook(Http http, Map<String, String> keys) {
        return http.getRaw("/v1/events?limit=1&facets=category,type,status&from=" + from + "&to=" + to, keys.get(ws));
      }

      public Object trailbookAnswer(byte[] body) {
        JsonNode f = Json.MAPPER.readTree(body).get("facets");
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (String dim : List.of("category", "type", "status")) {
          Map<String, Long> counts = new TreeMap<>();
          f.get(dim).properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
          out.put(dim, counts);
        }
        return out;
      }

      public Object postgres(Connection c) throws SQLException {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (String dim : List.of("category", "type", "status")) {
          Map<String, Long> counts = new TreeMap<>();
          try (PreparedStatement ps = prepare(c, "SELECT " + dim + ", count(*) FROM events WHERE workspace = ? AND time >= ? AND time < ? GROUP BY " + dim,
              ws, Timestamp.from(from), Timestamp.from(to));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
          }
          out.put(dim, counts);
        }
        return out;
      }
    };
  }

  static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    return ps;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
