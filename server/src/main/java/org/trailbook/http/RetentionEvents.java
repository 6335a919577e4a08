package org.trailbook.http;

import java.util.Optional;
import org.trailbook.Times;
import org.trailbook.access.Credential;
import org.trailbook.retention.LegalHold;
import org.trailbook.retention.RetentionPlan;
import org.trailbook.retention.RetentionPolicy;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code audit_log} events that record retention changes in the workspace's own log, each with {@code changes}
 * before and after: {@code audit_log.retention_changed}, {@code audit_log.plan_assigned}, {@code audit_log.plan_changed}
 * (a plan's maximum changed, recorded in every workspace on it), {@code audit_log.hold_placed}, {@code
 * audit_log.hold_released}.
 */
final class RetentionEvents {
  private RetentionEvents() {}

  /** {@code before} empty: the workspace had no policy of its own, the default applied (shown with {@code "default": true}). */
  static ObjectNode retentionChanged(Credential c, String workspace, Optional<RetentionPolicy> before, RetentionPolicy after, Integer defaultDays) {
    ObjectNode e = AdminRoutes.auditEvent(c, "audit_log.retention_changed");
    e.putObject("resource").put("type", "retention_policy").put("id", workspace);
    ObjectNode changes = e.putObject("changes");
    ObjectNode b = policy(changes.putObject("before"), before.orElse(new RetentionPolicy(defaultDays, false)));
    if (before.isEmpty()) b.put("default", true);
    policy(changes.putObject("after"), after);
    e.put("summary", AdminRoutes.who(c) + " set the retention of workspace " + workspace + " to " + days(after.days())
        + (after.archive() ? ", archived before purging" : ""));
    return e;
  }

  static ObjectNode planAssigned(Credential c, String workspace, Optional<RetentionPlan> before, Optional<RetentionPlan> after) {
    ObjectNode e = AdminRoutes.auditEvent(c, "audit_log.plan_assigned");
    e.putObject("resource").put("type", "retention_plan").put("id", after.or(() -> before).map(RetentionPlan::name).orElseThrow());
    ObjectNode changes = e.putObject("changes");
    plan(changes.putObject("before"), before);
    plan(changes.putObject("after"), after);
    e.put("summary", AdminRoutes.who(c) + (after.isPresent()
        ? " put workspace " + workspace + " on retention plan " + after.get().name() + " (at most " + days(after.get().maxDays()) + ")"
        : " took workspace " + workspace + " off retention plan " + before.orElseThrow().name()));
    return e;
  }

  static ObjectNode planChanged(Credential c, Optional<RetentionPlan> before, RetentionPlan after) {
    ObjectNode e = AdminRoutes.auditEvent(c, "audit_log.plan_changed");
    e.putObject("resource").put("type", "retention_plan").put("id", after.name());
    ObjectNode changes = e.putObject("changes");
    plan(changes.putObject("before"), before);
    plan(changes.putObject("after"), Optional.of(after));
    e.put("summary", AdminRoutes.who(c) + " changed retention plan " + after.name() + " to at most " + days(after.maxDays()));
    return e;
  }

  static ObjectNode holdPlaced(Credential c, LegalHold h) {
    ObjectNode e = AdminRoutes.auditEvent(c, "audit_log.hold_placed");
    e.putObject("resource").put("type", "legal_hold").put("id", h.id());
    ObjectNode after = e.putObject("changes").putObject("after");
    after.put("reason", h.reason()).put("ends_at", time(h)).put("released_at", (String) null);
    e.put("summary", AdminRoutes.who(c) + " placed a legal hold on workspace " + h.workspace() + ": " + h.reason());
    return e;
  }

  static ObjectNode holdReleased(Credential c, LegalHold h) {
    ObjectNode e = AdminRoutes.auditEvent(c, "audit_log.hold_released");
    e.putObject("resource").put("type", "legal_hold").put("id", h.id());
    ObjectNode changes = e.putObject("changes");
    changes.putObject("before").put("released_at", (String) null);
    changes.putObject("after").put("released_at", Times.format(h.releasedAt()));
    e.put("summary", AdminRoutes.who(c) + " released the legal hold " + h.id() + " on workspace " + h.workspace());
    return e;
  }

  private static ObjectNode policy(ObjectNode o, RetentionPolicy p) {
    return o.put("days", p.days()).put("archive", p.archive());
  }

  private static void plan(ObjectNode o, Optional<RetentionPlan> p) {
    o.put("plan", p.map(RetentionPlan::name).orElse(null));
    o.put("max_days", p.map(RetentionPlan::maxDays).orElse(null));
  }

  private static String time(LegalHold h) {
    return h.endsAt() == null ? null : Times.format(h.endsAt());
  }

  private static String days(Integer days) {
    return days == null ? "unlimited" : days + " days";
  }
}
