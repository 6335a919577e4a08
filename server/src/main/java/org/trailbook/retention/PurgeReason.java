package org.trailbook.retention;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a purge removed what it removed, as the purger states it in {@link org.trailbook.journal.Purge#reason()}: the
 * policy's days and the cutoff on {@code received_at} (the server's clock), and how the access trail (category {@code
 * audit_log}) was treated. Written as one plain sentence (shown by {@code trailbook verify} and the API) that
 * {@link #parse} reads back, so the purge's record event can be rebuilt from the store's {@code Purge} alone, byte for
 * byte, after a crash between the purge and its record.
 *
 * @param days the policy's retention in days
 * @param cutoff entries received before it are past the window (ISO-8601 UTC, {@code org.trailbook.Times} format)
 * @param auditLogDays the access trail's retention in days
 * @param auditCutoff {@code audit_log} entries received at or after it were kept; null when every {@code audit_log}
 *     entry was kept (no archive: the access trail is never just dropped)
 * @param archive where the purged range was archived before the purge (location and SHA-256), or null
 */
public record PurgeReason(int days, String cutoff, int auditLogDays, String auditCutoff, String archive) {
  private static final Pattern TEXT = Pattern.compile(
      "policy (\\d+) days: entries received before (\\S+) purged; audit_log entries (?:received from (\\S+) kept \\((\\d+) days\\)|all kept \\((\\d+) days, not archived\\))(?:; archived as (.+))?");

  public String text() {
    String trail = auditCutoff == null
        ? "all kept (" + auditLogDays + " days, not archived)"
        : "received from " + auditCutoff + " kept (" + auditLogDays + " days)";
    return "policy " + days + " days: entries received before " + cutoff + " purged; audit_log entries " + trail
        + (archive == null ? "" : "; archived as " + archive);
  }

  /** The reason {@link #text()} wrote, or null for a reason this purger did not write. */
  public static PurgeReason parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text);
    if (!m.matches()) return null;
    if (m.group(3) != null) return new PurgeReason(Integer.parseInt(m.group(1)), m.group(2), Integer.parseInt(m.group(4)), m.group(3), m.group(6));
    return new PurgeReason(Integer.parseInt(m.group(1)), m.group(2), Integer.parseInt(m.group(5)), null, m.group(6));
  }
}
