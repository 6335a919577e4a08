package org.trailbook.workload;

import java.util.HexFormat;
import org.trailbook.workload.Population.Actor;
import org.trailbook.workload.Population.Address;
import org.trailbook.workload.Population.Resource;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The pieces every kind of event shares: picking actors and resources, and the actor, resource and context objects. */
final class Parts {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private static final long DAY_MS = 86_400_000L;

  final Population population;
  private final long seed;
  private final Zipf users = new Zipf(Population.USERS, 0.8);
  private final Zipf apiKeys = new Zipf(Population.API_KEYS, 0.9);
  private final Zipf externals = new Zipf(Population.EXTERNALS, 1.0);

  Parts(Population population, long seed) {
    this.population = population;
    this.seed = seed;
  }

  /** The where and when of one event. */
  record Moment(Rng rng, long millis, int workspace, String workspaceId) {}

  /** A user; each workspace has its own most active users. */
  Actor user(Moment m) {
    return population.users[(users.sample(m.rng()) + m.workspace() * 229) % Population.USERS];
  }

  Actor apiKey(Moment m) {
    return population.apiKeys[(apiKeys.sample(m.rng()) + m.workspace() * 13) % Population.API_KEYS];
  }

  Actor external(Moment m) {
    return population.externals[externals.sample(m.rng())];
  }

  /** The system actor for a service, e.g. "scheduler", sometimes one of its numbered replicas. */
  Actor system(String service, Moment m) {
    Actor[] systems = population.systems;
    for (int i = 0; i < 10; i++) {
      if (systems[i].name().equals(service)) return systems[i + 10 * m.rng().nextInt(systems.length / 10)];
    }
    throw new IllegalArgumentException("unknown service " + service);
  }

  Resource resource(String type, Moment m) {
    return population.resource(type, m.rng(), m.workspace());
  }

  static ObjectNode actor(Actor actor) {
    ObjectNode node = NODES.objectNode().put("type", actor.type()).put("id", actor.id()).put("name", actor.name());
    if (actor.email() != null) node.put("email", actor.email());
    return node;
  }

  /** The resource with its app link, as user-facing events carry it. */
  static ObjectNode resource(Resource resource) {
    return resourceWithoutUrl(resource).put("url", resource.url());
  }

  /** The resource without a link, for machine events that point elsewhere (an API or endpoint URL). */
  static ObjectNode resourceWithoutUrl(Resource resource) {
    return NODES.objectNode().put("type", resource.type()).put("id", resource.id()).put("name", resource.name());
  }

  static String requestId(Rng rng) {
    return "req_" + rng.hex(16);
  }

  /** Client context: mostly the actor's usual address, sometimes another one; sessions only for users. */
  ObjectNode context(Actor actor, Moment m, String requestId) {
    ObjectNode node = NODES.objectNode();
    if (actor.homeAddress() >= 0) {
      Rng rng = m.rng();
      Address address = population.addresses[rng.chance(0.85) ? actor.homeAddress() : rng.nextInt(Population.ADDRESSES)];
      node.put("ip", address.ip()).put("user_agent", actor.userAgent());
      node.put("request_id", requestId);
      if (actor.type().equals("user")) node.put("session_id", sessionId(actor, m.millis()));
      node.put("location", address.location());
    } else {
      node.put("request_id", requestId);
    }
    return node;
  }

  /** One session per user per day: the same for all that user's events of the day. */
  String sessionId(Actor actor, long millis) {
    return "sess_" + HEX.toHexDigits(Rng.mix(seed ^ Rng.mix(actor.id().hashCode() * 31L + millis / DAY_MS)));
  }

  /** A status with the given chances of success, failure and warning; otherwise {@code waiting}. */
  static String status(Rng rng, double success, double failure, double warning, String waiting) {
    double u = rng.nextDouble();
    if (u < success) return "success";
    if (u < success + failure) return "failure";
    if (u < success + failure + warning) return "warning";
    return waiting;
  }

  static ObjectNode error(String message, String type, String stack) {
    return NODES.objectNode().put("message", message).put("type", type).put("stack", stack);
  }

  /** A short Java stack trace under an invented application package. */
  static String stack(String type, String message, String frameClass, String frameMethod, Rng rng) {
    return type + ": " + message
        + "\n\tat com.tidewell.crm." + frameClass + "." + frameMethod + "(" + simpleName(frameClass) + ".java:"
        + rng.between(40, 480) + ")"
        + "\n\tat com.tidewell.crm.core.Pipeline.run(Pipeline.java:" + rng.between(60, 140) + ")"
        + "\n\tat java.base/java.lang.Thread.run(Thread.java:1583)";
  }

  private static String simpleName(String dotted) {
    return dotted.substring(dotted.lastIndexOf('.') + 1);
  }
}
