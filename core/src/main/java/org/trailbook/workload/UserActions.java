package org.trailbook.workload;

import java.util.List;
import org.trailbook.workload.Parts.Moment;
import org.trailbook.workload.Population.Actor;
import org.trailbook.workload.Population.Resource;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code user_action} events: people working in the app, about half with before/after changes; a small share are
 * platform staff acting on the platform layer (plan changes, impersonation).
 */
final class UserActions {
  /** The share of user actions done by platform staff on the platform layer. */
  static final double PLATFORM_SHARE = 0.02;

  /** An action on a resource type; {@code changes} says whether it carries a before/after diff. */
  record Kind(String type, String verb, boolean changes, String category) {}

  static final List<Kind> KINDS = List.of(
      k("campaign", "created", false), k("campaign", "updated", true), k("campaign", "launched", true),
      k("campaign", "paused", true), k("campaign", "scheduled", true), k("campaign", "archived", false),
      k("campaign", "duplicated", false),
      k("contact", "created", false), k("contact", "updated", true), k("contact", "deleted", false),
      k("contact", "imported", false), k("contact", "exported", false), k("contact", "merged", false),
      k("segment", "created", false), k("segment", "updated", true),
      k("template", "updated", true), k("template", "published", false),
      k("ticket", "assigned", true), k("ticket", "closed", true), k("ticket", "reopened", true),
      k("ticket", "commented", false),
      k("conversation", "assigned", true), k("conversation", "closed", false),
      k("invoice", "sent", false), k("invoice", "voided", true),
      k("report", "exported", false), k("report", "scheduled", false),
      k("user", "invited", false), new Kind("user", "role_changed", true, "security"), k("user", "removed", false),
      k("user", "profile_updated", true),
      new Kind("api_key", "created", false, "security"), new Kind("api_key", "revoked", false, "security"),
      k("webhook", "created", false), k("webhook", "updated", true), k("webhook", "disabled", true),
      k("integration", "connected", false), k("integration", "disconnected", false));

  private static final String[] FAILURE_REASONS = {
    "segment is empty", "template has unresolved placeholders", "permission denied", "import file has invalid rows",
    "plan limit reached"
  };

  private static final String[] STAGES = {"subscriber", "lead", "qualified", "customer", "churned"};

  private final Parts parts;
  private final int[] weighted; // indexes into KINDS, actions with changes weighted 3:2 so about half carry changes

  UserActions(Parts parts) {
    this.parts = parts;
    int size = 0;
    for (Kind kind : KINDS) size += kind.changes() ? 3 : 2;
    weighted = new int[size];
    int i = 0;
    for (int k = 0; k < KINDS.size(); k++) {
      for (int w = KINDS.get(k).changes() ? 3 : 2; w > 0; w--) weighted[i++] = k;
    }
  }

  private static Kind k(String type, String verb, boolean changes) {
    return new Kind(type, verb, changes, null);
  }

  void fill(ObjectNode event, Moment m) {
    Rng rng = m.rng();
    if (rng.chance(PLATFORM_SHARE)) {
      platform(event, m);
      return;
    }
    Kind kind = KINDS.get(weighted[rng.nextInt(weighted.length)]);
    String status = Parts.status(rng, 0.96, 0.02, 0.005, "pending");
    Actor actor = parts.user(m);
    Resource resource = parts.resource(kind.type(), m);

    event.put("action", kind.type() + "." + kind.verb());
    if (kind.category() != null) event.put("category", kind.category());
    event.put("status", status);
    event.set("actor", Parts.actor(actor));
    event.set("resource", Parts.resource(resource));
    event.set("context", parts.context(actor, m, Parts.requestId(rng)));
    if (kind.changes()) changes(event.putObject("changes"), kind, m);
    if (rng.chance(0.03)) event.put("summary", actor.name() + " " + kind.verb().replace('_', ' ') + " " + kind.type()
        + " " + resource.name());
    ObjectNode metadata = event.putObject("metadata");
    metadata.put("source", rng.chance(0.85) ? "web" : "mobile");
    if (status.equals("failure")) metadata.put("reason", rng.pick(FAILURE_REASONS));
    if (status.equals("warning")) metadata.put("warning", "completed with skipped items");
  }

  private void changes(ObjectNode changes, Kind kind, Moment m) {
    Rng rng = m.rng();
    ObjectNode before = changes.putObject("before");
    ObjectNode after = changes.putObject("after");
    switch (kind.type() + "." + kind.verb()) {
      case "campaign.updated", "template.updated" -> {
        before.put("subject", rng.pick(Words.CAMPAIGN_THEMES) + " " + rng.pick(Words.CAMPAIGN_KINDS));
        after.put("subject", rng.pick(Words.CAMPAIGN_THEMES) + " " + rng.pick(Words.CAMPAIGN_KINDS));
      }
      case "campaign.launched" -> {
        before.put("status", rng.chance(0.5) ? "draft" : "scheduled");
        after.put("status", "running");
      }
      case "campaign.paused" -> {
        before.put("status", "running");
        after.put("status", "paused");
      }
      case "campaign.scheduled" -> {
        before.put("status", "draft").putNull("send_at");
        after.put("status", "scheduled").put("send_at", Timeline.format(m.millis() + rng.between(1, 72) * Timeline.HOUR_MS));
      }
      case "contact.updated" -> {
        int stage = rng.nextInt(STAGES.length - 1);
        before.put("lifecycle_stage", STAGES[stage]).put("country", rng.pick(Words.COUNTRIES));
        after.put("lifecycle_stage", STAGES[stage + 1]).put("country", rng.pick(Words.COUNTRIES));
      }
      case "segment.updated" -> {
        String country = rng.pick(Words.COUNTRIES);
        before.put("filter", "country = " + country);
        after.put("filter", "country = " + country + " AND orders > " + rng.between(1, 5));
      }
      case "ticket.assigned", "conversation.assigned" -> {
        if (rng.chance(0.6)) before.putNull("assignee");
        else before.put("assignee", parts.user(m).id());
        after.put("assignee", parts.user(m).id());
      }
      case "ticket.closed" -> {
        before.put("status", "open");
        after.put("status", "closed");
      }
      case "ticket.reopened" -> {
        before.put("status", "closed");
        after.put("status", "open");
      }
      case "invoice.voided" -> {
        before.put("status", "open");
        after.put("status", "void");
      }
      case "user.role_changed" -> {
        int role = rng.nextInt(Words.ROLES.length - 1);
        boolean promote = rng.chance(0.7);
        before.put("role", Words.ROLES[promote ? role : role + 1]);
        after.put("role", Words.ROLES[promote ? role + 1 : role]);
      }
      case "user.profile_updated" -> {
        before.put("timezone", "Europe/Berlin").put("language", "de");
        after.put("timezone", rng.chance(0.5) ? "Europe/Lisbon" : "America/New_York").put("language", "en");
      }
      case "webhook.updated" -> {
        String domain = rng.pick(Words.COMPANY_DOMAINS);
        before.put("url", "https://hooks." + domain + "/trailbook");
        after.put("url", "https://hooks." + domain + "/trailbook/v2");
      }
      case "webhook.disabled" -> {
        before.put("enabled", true);
        after.put("enabled", false);
      }
      default -> throw new IllegalStateException("no changes for " + kind);
    }
  }

  /** Platform staff: plan changes, limit raises and impersonation, on the platform layer. */
  private void platform(ObjectNode event, Moment m) {
    Rng rng = m.rng();
    Actor staff = rng.pick(parts.population.staff);
    int what = rng.nextInt(4);
    String action = switch (what) {
      case 0 -> "workspace.plan_changed";
      case 1 -> "workspace.limits_raised";
      case 2 -> "user.impersonation_started";
      default -> "user.impersonation_ended";
    };
    event.put("action", action);
    if (what >= 2) event.put("category", "security");
    event.put("status", "success");
    event.set("actor", Parts.actor(staff));
    if (what < 2) {
      event.set("resource", Parts.NODES.objectNode()
          .put("type", "workspace")
          .put("id", m.workspaceId())
          .put("name", "Workspace " + m.workspaceId())
          .put("url", "https://admin.example.com/workspaces/" + m.workspaceId()));
    } else {
      event.set("resource", Parts.resource(parts.resource("user", m)));
    }
    event.set("context", parts.context(staff, m, Parts.requestId(rng)));
    event.put("layer", "platform");
    if (what < 2) {
      ObjectNode changes = event.putObject("changes");
      if (what == 0) {
        int plan = rng.nextInt(Words.PLANS.length - 1);
        changes.putObject("before").put("plan", Words.PLANS[plan]);
        changes.putObject("after").put("plan", Words.PLANS[plan + 1]);
      } else {
        int seats = rng.between(5, 200);
        changes.putObject("before").put("seat_limit", seats);
        changes.putObject("after").put("seat_limit", seats * 2);
      }
    }
    event.putObject("metadata").put("reason", "support ticket t_" + rng.nextInt(6000));
  }
}
