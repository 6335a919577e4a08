package org.trailbook.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import org.trailbook.Json;

/**
 * The one table on the terminal, and the same as JSON in the shape BENCHMARK.md gives (plus each
 * row's {@code store}): one row per measure and Trailbook side, the sides of a measure together.
 */
final class Report {
  private Report() {}

  static void print(List<Measure> measures, PrintStream out) {
    out.printf("%-4s %-14s %-46s %-26s %-26s %8s  %s%n", "id", "store", "measure", "Trailbook", "PostgreSQL", "ratio", "target");
    for (Measure m : measures) {
      Double ratio = m.ratio();
      String target = m.target() == null ? "" : m.target() + (m.targetMet() == null ? "" : m.targetMet() ? "  met" : "  NOT met");
      out.printf("%-4s %-14s %-46s %-26s %-26s %8s  %s%n", m.id(), m.store(), m.what(), format(m.trailbook(), m.unit()), format(m.postgres(), m.unit()),
          ratio == null ? "-" : String.format(Locale.ROOT, "%.2fx", ratio), target);
    }
  }

  private static String format(Side s, String unit) {
    if (s == null) return "-";
    if (s.note() != null) return s.note();
    if (s.value() != null) return String.format(Locale.ROOT, "%,.0f %s", s.value(), unit);
    return String.format(Locale.ROOT, "p50 %.2f / p99 %.2f %s", s.p50(), s.p99(), unit);
  }

  static ObjectNode json(List<Measure> measures, long events, long seed, String commit) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("events", events).put("seed", seed).put("commit", commit);
    root.putObject("machine").put("cores", Runtime.getRuntime().availableProcessors()).put("jdk", System.getProperty("java.version"))
        .put("memory_bytes", ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize());
    ArrayNode arr = root.putArray("measures");
    for (Measure m : measures) {
      ObjectNode o = arr.addObject();
      o.put("id", m.id()).put("store", m.store()).put("what", m.what()).put("unit", m.unit()).put("better", m.better());
      side(o, "trailbook", m.trailbook());
      side(o, "postgres", m.postgres());
      if (m.ratio() != null) o.put("ratio", Math.round(m.ratio() * 100) / 100.0);
      if (m.target() != null) o.put("target", m.target());
      if (m.targetMet() != null) o.put("target_met", m.targetMet());
    }
    return root;
  }

  private static void side(ObjectNode o, String name, Side s) {
    if (s == null) return;
    ObjectNode n = o.putObject(name);
    if (s.value() != null) n.put("value", s.value());
    if (s.p50() != null) n.put("p50", s.p50()).put("p99", s.p99()).put("runs", s.runs());
    if (s.note() != null) n.put("note", s.note());
  }
}
