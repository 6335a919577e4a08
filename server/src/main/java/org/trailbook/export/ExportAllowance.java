package org.trailbook.export;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * How many exports a workspace may start per rolling hour: direct downloads and export jobs draw on
 * the same allowance, because each one scans the log and appends an {@code audit_log.exported}
 * entry to it; a key with only the {@code export} scope must not be able to do either without
 * bound. Beyond it: 429 with {@code Retry-After} until the oldest export of the hour ages out.
 *
 * <p>Only exports that were accepted count (a 400 for bad filters costs nothing). This in-memory
 * count is the file store's ({@link FileExportJobStore}): jobs are counted again from their saved
 * state after a restart; downloads are counted in memory only, so a restart forgets the downloads of
 * the past hour. A database store counts every node's exports in its own table.
 */
public final class ExportAllowance {
  /** The window of the allowance (ms). */
  public static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private final int perHour;
  private final Map<String, ArrayDeque<Long>> starts = new HashMap<>();

  ExportAllowance(int perHour) {
    this.perHour = perHour;
  }

  /** Throws {@link TooManyExportsException} if {@code workspace} has no export left this hour. */
  synchronized void check(String workspace, long now) {
    ArrayDeque<Long> q = recent(workspace, now);
    if (q.size() >= perHour) throw refusal(q.size(), perHour, q.peekFirst(), now);
  }

  /** The 429 for a workspace that began {@code started} exports this hour, the oldest at {@code oldest} (epoch ms). */
  public static TooManyExportsException refusal(long started, int perHour, long oldest, long now) {
    long wait = oldest + HOUR - now;
    return new TooManyExportsException("this workspace started " + started + " exports in the last hour; the limit is " + perHour
        + " per workspace per hour, shared by direct downloads (GET /v1/exports/download) and export jobs (POST /v1/exports); retry in "
        + Math.max(1, (wait + 999) / 1000) + " s", (int) Math.max(1, (wait + 999) / 1000));
  }

  /** Checks and counts one export of {@code workspace} begun at {@code now}. */
  synchronized void take(String workspace, long now) {
    check(workspace, now);
    starts.get(workspace).addLast(now);
  }

  /** Counts an export begun earlier (a job found at start), if it is within the hour. */
  synchronized void seed(String workspace, long at, long now) {
    if (at > now - HOUR) {
      recent(workspace, now).addLast(at);
    }
  }

  private ArrayDeque<Long> recent(String workspace, long now) {
    ArrayDeque<Long> q = starts.computeIfAbsent(workspace, w -> new ArrayDeque<>());
    while (!q.isEmpty() && q.peekFirst() <= now - HOUR) q.removeFirst();
    return q;
  }
}
