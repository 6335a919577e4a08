package org.trailbook.workload;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The precomputed cast of workload W: 5,000 actors, 2,000 client addresses and 50,000 resources of 12 types, built
 * once from the seed so each event only picks from tables.
 */
final class Population {
  static final int USERS = 4_600;
  static final int API_KEYS = 300;
  static final int SYSTEMS = 60;
  static final int EXTERNALS = 40;
  static final int ACTORS = USERS + API_KEYS + SYSTEMS + EXTERNALS;
  static final int ADDRESSES = 2_000;
  static final int IPV6_ADDRESSES = 200;

  /** An actor: type user, api_key, system or external; email only for users; a usual address and client. */
  record Actor(String type, String id, String name, String email, int homeAddress, String userAgent) {}

  /** A client address and where it is. */
  record Address(String ip, String location) {}

  /** A resource with its precomputed link. */
  record Resource(String type, String id, String name, String url) {}

  /** A resource type: its name, id prefix, URL path segment and how many exist. */
  record Kind(String type, String prefix, String path, int count) {}

  static final List<Kind> KINDS = List.of(
      new Kind("contact", "c_", "contacts", 18_000),
      new Kind("conversation", "conv_", "conversations", 9_000),
      new Kind("ticket", "t_", "tickets", 6_000),
      new Kind("invoice", "inv_", "invoices", 5_000),
      new Kind("user", "u_", "users", 4_000),
      new Kind("campaign", "cmp_", "campaigns", 2_500),
      new Kind("segment", "seg_", "segments", 1_500),
      new Kind("template", "tpl_", "templates", 1_500),
      new Kind("report", "rep_", "reports", 1_200),
      new Kind("api_key", "key_", "api-keys", 500),
      new Kind("integration", "int_", "integrations", 400),
      new Kind("webhook", "wh_", "webhooks", 400));

  static final String APP_URL = "https://app.example.com/";

  final Actor[] users = new Actor[USERS];
  final Actor[] apiKeys = new Actor[API_KEYS];
  final Actor[] systems = new Actor[SYSTEMS];
  final Actor[] externals = new Actor[EXTERNALS];
  /** A few platform staff, who act on the platform layer. */
  final Actor[] staff = new Actor[6];
  final Address[] addresses = new Address[ADDRESSES];
  private final Resource[][] resources = new Resource[KINDS.size()][];
  private final Zipf[] resourcePopularity = new Zipf[KINDS.size()];

  Population(long seed) {
    Rng rng = new Rng(Rng.mix(seed ^ 0x5EED_7AB1E5L));
    buildAddresses(rng);
    buildActors(rng);
    buildResources(rng);
  }

  int kindIndex(String type) {
    for (int i = 0; i < KINDS.size(); i++) if (KINDS.get(i).type().equals(type)) return i;
    throw new IllegalArgumentException("unknown resource type " + type);
  }

  /** A resource of the given type, popular ones more often; each workspace has its own popular ones. */
  Resource resource(String type, Rng rng, int workspace) {
    int kind = kindIndex(type);
    Resource[] pool = resources[kind];
    return pool[(resourcePopularity[kind].sample(rng) + workspace * 7919) % pool.length];
  }

  int resourceCount() {
    int total = 0;
    for (Resource[] pool : resources) total += pool.length;
    return total;
  }

  private void buildAddresses(Rng rng) {
    Set<String> seen = new LinkedHashSet<>();
    while (seen.size() < ADDRESSES - IPV6_ADDRESSES) {
      int first = rng.between(2, 223);
      if (first == 10 || first == 100 || first == 127 || first == 169 || first == 172 || first == 192) continue;
      seen.add(first + "." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + rng.between(1, 254));
    }
    while (seen.size() < ADDRESSES) {
      seen.add("2001:db8:" + Integer.toHexString(rng.nextInt(0x10000)) + ":" + Integer.toHexString(rng.nextInt(0x10000))
          + "::" + Integer.toHexString(rng.between(1, 0xffff)));
    }
    int i = 0;
    for (String ip : seen) addresses[i++] = new Address(ip, rng.pick(Words.LOCATIONS));
  }

  private void buildActors(Rng rng) {
    for (int i = 0; i < USERS; i++) {
      String first = rng.pick(Words.FIRST_NAMES);
      String last = rng.pick(Words.LAST_NAMES);
      String email = (first + "." + last).toLowerCase(Locale.ROOT) + (i % 7 == 0 ? Integer.toString(i % 100) : "")
          + "@" + rng.pick(Words.COMPANY_DOMAINS);
      String agent = rng.chance(0.4) ? rng.pick(Words.APP_AGENTS) : rng.pick(Words.BROWSER_AGENTS);
      users[i] = new Actor("user", "u_" + i, first + " " + last, email, rng.nextInt(ADDRESSES), agent);
    }
    for (int i = 0; i < API_KEYS; i++) {
      apiKeys[i] = new Actor("api_key", "key_" + i, rng.pick(Words.KEY_NAMES), null, rng.nextInt(ADDRESSES),
          rng.pick(Words.SDK_AGENTS));
    }
    String[] services = {"scheduler", "importer", "mailer", "billing", "search-indexer", "webhook-dispatcher",
        "exporter", "retention", "segment-engine", "report-builder"};
    for (int i = 0; i < SYSTEMS; i++) {
      String service = services[i % services.length];
      String name = i < services.length ? service : service + "-" + (i / services.length);
      systems[i] = new Actor("system", "sys_" + name.replace('-', '_'), name, null, -1, null);
    }
    String[] partners = {"payments-gateway", "identity-provider", "mail-relay", "sms-relay", "crm-bridge"};
    for (int i = 0; i < EXTERNALS; i++) {
      String name = partners[i % partners.length] + (i < partners.length ? "" : "-" + (i / partners.length));
      externals[i] = new Actor("external", "ext_" + name.replace('-', '_'), name, null, rng.nextInt(ADDRESSES),
          rng.pick(Words.SDK_AGENTS));
    }
    for (int i = 0; i < staff.length; i++) {
      String first = rng.pick(Words.FIRST_NAMES);
      String last = rng.pick(Words.LAST_NAMES);
      staff[i] = new Actor("user", "staff_" + i, first + " " + last,
          (first + "." + last).toLowerCase(Locale.ROOT) + "@example.com", rng.nextInt(ADDRESSES),
          Words.BROWSER_AGENTS[i % 3]);
    }
  }

  private void buildResources(Rng rng) {
    for (int k = 0; k < KINDS.size(); k++) {
      Kind kind = KINDS.get(k);
      Resource[] pool = new Resource[kind.count()];
      for (int i = 0; i < pool.length; i++) {
        String id = kind.prefix() + i;
        pool[i] = new Resource(kind.type(), id, name(kind.type(), i, rng), APP_URL + kind.path() + "/" + id);
      }
      resources[k] = pool;
      resourcePopularity[k] = new Zipf(pool.length, 0.9);
    }
  }

  private String name(String type, int i, Rng rng) {
    return switch (type) {
      case "contact", "conversation" -> {
        String person = rng.pick(Words.FIRST_NAMES) + " " + rng.pick(Words.LAST_NAMES);
        yield type.equals("contact") ? person : "Chat with " + person;
      }
      case "ticket" -> rng.pick(Words.TICKET_SUBJECTS);
      case "invoice" -> "INV-" + (2025 + i % 2) + "-" + String.format(Locale.ROOT, "%05d", i);
      case "user" -> i < USERS ? users[i].name() : rng.pick(Words.FIRST_NAMES) + " " + rng.pick(Words.LAST_NAMES);
      case "campaign" -> rng.pick(Words.CAMPAIGN_THEMES) + " " + rng.pick(Words.CAMPAIGN_KINDS);
      case "segment" -> rng.pick(Words.SEGMENT_NAMES) + (rng.chance(0.5) ? " (" + rng.pick(Words.COUNTRIES) + ")" : "");
      case "template" -> rng.pick(Words.TEMPLATE_NAMES) + " v" + rng.between(1, 6);
      case "report" -> rng.pick(Words.REPORT_NAMES);
      case "api_key" -> rng.pick(Words.KEY_NAMES);
      case "integration" -> rng.pick(Words.INTEGRATION_NAMES);
      case "webhook" -> rng.pick(Words.WEBHOOK_NAMES);
      default -> throw new IllegalArgumentException(type);
    };
  }

  /** All actors, for counting: users, API keys, systems, externals (staff excluded). */
  List<Actor> actors() {
    List<Actor> all = new ArrayList<>(ACTORS);
    all.addAll(List.of(users));
    all.addAll(List.of(apiKeys));
    all.addAll(List.of(systems));
    all.addAll(List.of(externals));
    return all;
  }
}
