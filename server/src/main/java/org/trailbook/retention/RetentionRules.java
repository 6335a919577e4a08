package org.trailbook.retention;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;

/** The rules of retention values, each broken one answered with a 400 naming the field and the rule. */
public final class RetentionRules {
  /** The shortest retention: a week. */
  public static final int MIN_DAYS = 7;
  /** The longest finite retention (100 years); longer is unlimited ({@code null}). */
  public static final int MAX_DAYS = 36_500;
  /** The presets the page offers: 30 days, 90 days, 1, 2 and 7 years. Any value in range is allowed. */
  public static final List<Integer> PRESETS = List.of(30, 90, 365, 730, 2555);
  public static final Pattern PLAN_NAME = Pattern.compile("[a-z0-9_-]{1,40}");
  public static final int MAX_REASON_CHARS = 500;

  private RetentionRules() {}

  /** {@code days} of a policy or plan maximum: null (unlimited) or a whole number of days in range. */
  static void checkDays(String field, Integer days) {
    if (days != null && (days < MIN_DAYS || days > MAX_DAYS)) {
      throw invalid(field, "must be a whole number of days from " + MIN_DAYS + " to " + MAX_DAYS + ", or null for unlimited");
    }
  }

  static void checkPlanName(String name) {
    if (name == null || !PLAN_NAME.matcher(name).matches()) throw invalid("name", "must match " + PLAN_NAME.pattern());
  }

  /** A hold's reason (required, at most 500 characters, stripped) and end (null, or after {@code now}). */
  static String checkHold(String reason, Instant endsAt, Instant now) {
    String r = reason == null ? "" : reason.strip();
    if (r.isEmpty()) throw invalid("reason", "is required: say why the workspace is held");
    if (r.length() > MAX_REASON_CHARS) throw invalid("reason", "must be at most " + MAX_REASON_CHARS + " characters");
    if (endsAt != null && !endsAt.isAfter(now)) throw invalid("ends_at", "must be in the future");
    return r;
  }

  static InvalidInputException invalid(String field, String rule) {
    return new InvalidInputException("invalid_request", "the request is invalid", List.of(Problem.of(field, rule)));
  }

  /** The days of a policy beyond the workspace's plan: refused naming {@code days} and the plan's maximum. */
  static InvalidInputException beyondPlan(RetentionPlan plan) {
    return new InvalidInputException("beyond_plan", "the retention is beyond the maximum of the workspace's plan '" + plan.name() + "'",
        List.of(Problem.of("days", "at most " + plan.maxDays() + " days on plan " + plan.name())));
  }
}
