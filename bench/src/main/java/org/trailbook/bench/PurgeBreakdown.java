package org.trailbook.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where R2's purge time went, read from the server's own log lines (their time of day, to the
 * millisecond; libfaketime moves the server's clock by whole days, so its time of day is the real
 * one): for each pass, from the request to the journal's {@code purged N entries of workspace}
 * line (the horizon scan, the leaf hashes of the purged range, the manifest, the swap), from there
 * to the purger's {@code purge of workspace} line (the {@code audit_log.purged} record through the
 * write path), and from there to the answer. The journal compacts segments in the background,
 * beside the passes: what counts is the wait for it after them, and the rewrites it logged
 * ({@code journal: compacted}).
 *
 * @param select seconds of horizon scan and store purge
 * @param compact seconds waited after the passes for the journal's compaction to finish
 * @param record seconds of appending the purge's record
 * @param answer seconds from the record to the client's answer
 * @param compactions segments rewritten from the first pass on
 * @param purgeCpu CPU seconds of the passes' own threads (the server logs each pass's; 0 if it does not)
 * @param compactCpu CPU seconds of the journal's compactor for those rewrites
 */
record PurgeBreakdown(double select, double compact, double record, double answer, int compactions, double purgeCpu, double compactCpu) {
  private static final Pattern LINE = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .* - (?:purged \\d+ entries of workspace (\\S+) below"
      + "|(journal: compacted)(?:[^\\n]*?cpu (\\d+) ms)?[^\\n]*$|purge of workspace (\\S+):(?:[^\\n]*?cpu (\\d+) ms)?[^\\n]*$)");

  /** One pass as the client saw it: the workspace and when its request began and was answered. */
  record Pass(String workspace, Instant start, Instant end) {}

  /**
   * The breakdown over {@code passes}, from the server's {@code output} and the seconds the run waited for the
   * compaction after them; null when the lines are not found.
   */
  static PurgeBreakdown of(List<Pass> passes, List<String> output, double compactWait) {
    double select = 0;
    double record = 0;
    double answer = 0;
    double purgeCpu = 0;
    double compactCpu = 0;
    int at = 0;
    int first = -1;
    for (Pass p : passes) {
      LocalTime purged = null;
      LocalTime recorded = null;
      for (; at < output.size() && recorded == null; at++) {
        Matcher m = LINE.matcher(output.get(at));
        if (!m.find()) continue;
        LocalTime t = LocalTime.parse(m.group(1));
        if (p.workspace().equals(m.group(2))) {
          purged = t;
          if (first < 0) first = at;
        } else if (p.workspace().equals(m.group(5)) && purged != null) {
          recorded = t;
          if (m.group(6) != null) purgeCpu += Long.parseLong(m.group(6)) / 1000.0;
        }
      }
      if (recorded == null) return null;
      select += seconds(timeOfDay(p.start()), purged);
      record += seconds(purged, recorded);
      answer += seconds(recorded, timeOfDay(p.end()));
    }
    if (first < 0) return null; // no pass
    int compactions = 0;
    for (String line : output.subList(first, output.size())) {
      Matcher m = LINE.matcher(line);
      if (m.find() && m.group(3) != null) {
        compactions++;
        if (m.group(4) != null) compactCpu += Long.parseLong(m.group(4)) / 1000.0;
      }
    }
    return new PurgeBreakdown(select, compactWait, record, answer, compactions, purgeCpu, compactCpu);
  }

  private static LocalTime timeOfDay(Instant i) {
    return LocalTime.ofInstant(i, ZoneOffset.UTC);
  }

  /** Seconds from {@code a} to {@code b}, at least 0 (the log's millisecond against the client's nanosecond). */
  private static double seconds(LocalTime a, LocalTime b) {
    return Math.max(0, Duration.between(a, b).toNanos() / 1e9);
  }
}
