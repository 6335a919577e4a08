package org.trailbook.workload;

import org.trailbook.workload.Parts.Moment;
import org.trailbook.workload.Population.Actor;
import tools.jackson.databind.node.ObjectNode;

/** {@code auth} events: sign-ins, failed sign-ins, sign-outs, MFA, with the full client context. */
final class AuthEvents {
  private static final String[] SUCCESSES = {
    "auth.login", "auth.login", "auth.login", "auth.login", "auth.login", "auth.login", "auth.logout", "auth.logout",
    "auth.logout", "auth.mfa_challenge", "auth.mfa_challenge", "auth.mfa_verified", "auth.mfa_verified",
    "auth.sso_login", "auth.session_refreshed", "auth.password_changed"
  };
  private static final String[] FAILURE_REASONS = {
    "invalid_password", "invalid_password", "invalid_password", "unknown_email", "mfa_code_invalid", "account_locked"
  };
  private static final String[] METHODS = {"password", "password", "password", "sso", "passkey", "magic_link"};

  private final Parts parts;

  AuthEvents(Parts parts) {
    this.parts = parts;
  }

  void fill(ObjectNode event, Moment m) {
    Rng rng = m.rng();
    String status = Parts.status(rng, 0.84, 0.14, 0.02, "pending");
    Actor actor = parts.user(m);
    String reason = status.equals("failure") ? rng.pick(FAILURE_REASONS) : null;
    String action = switch (status) {
      case "failure" -> reason.startsWith("mfa") ? "auth.mfa_failed" : "auth.login_failed";
      case "warning" -> "auth.login";
      default -> rng.pick(SUCCESSES);
    };
    event.put("action", action);
    if (action.equals("auth.password_changed")) event.put("category", "security");
    event.put("status", status);
    event.set("actor", Parts.actor(actor));
    event.set("context", parts.context(actor, m, Parts.requestId(rng)));
    ObjectNode metadata = event.putObject("metadata");
    metadata.put("method", action.equals("auth.sso_login") ? "sso" : rng.pick(METHODS));
    if (reason != null) metadata.put("reason", reason).put("attempt", rng.between(1, 5));
    if (status.equals("warning")) metadata.put("new_device", true).put("risk", "medium");
    if (action.equals("auth.login") && status.equals("success")) metadata.put("mfa", rng.chance(0.6));
  }
}
