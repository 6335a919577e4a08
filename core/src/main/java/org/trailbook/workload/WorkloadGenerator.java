package org.trailbook.workload;

import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.trailbook.workload.Parts.Moment;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates workload W: realistic audit events, deterministic for a {@link WorkloadSpec}, made lazily one at a time
 * (constant memory), in ascending time order. Any event can also be made alone with {@link #event(long)}, so the
 * stream may be split or run in parallel; an instance is immutable and thread-safe.
 *
 * <p>Type mix: 35 % api_call, 30 % user_action, 10 % background_job, 5 % system_event, 10 % webhook_delivery, 7 %
 * auth, 3 % error. Status mix about 88 % success, 7 % failure, 3 % warning, 2 % pending or in_progress.
 */
public final class WorkloadGenerator implements Iterable<GeneratedEvent> {
  private final WorkloadSpec spec;
  private final List<String> workspaces;
  private final Zipf workspaceVolume;
  private final Timeline timeline;
  private final String idPrefix;
  private final ApiCalls apiCalls;
  private final UserActions userActions;
  private final Jobs jobs;
  private final Webhooks webhooks;
  private final AuthEvents auth;
  private final Errors errors;

  public WorkloadGenerator(WorkloadSpec spec) {
    this.spec = spec;
    this.workspaces = spec.workspaces();
    this.workspaceVolume = spec.zipf();
    this.timeline = new Timeline(spec.end(), WorkloadSpec.WINDOW, Math.max(1, spec.events()));
    this.idPrefix = "evt-" + spec.seed() + "-";
    Parts parts = new Parts(new Population(spec.seed()), spec.seed());
    this.apiCalls = new ApiCalls(parts);
    this.userActions = new UserActions(parts);
    this.jobs = new Jobs(parts);
    this.webhooks = new Webhooks(parts);
    this.auth = new AuthEvents(parts);
    this.errors = new Errors(parts);
  }

  public WorkloadSpec spec() {
    return spec;
  }

  /** All events in order, made as they are consumed. */
  public Stream<GeneratedEvent> stream() {
    return LongStream.range(0, spec.events()).mapToObj(this::event);
  }

  @Override
  public Iterator<GeneratedEvent> iterator() {
    return stream().iterator();
  }

  /** Event {@code n} (0-based), the same every time. */
  public GeneratedEvent event(long n) {
    if (n < 0 || n >= spec.events()) throw new IndexOutOfBoundsException("event " + n + " of " + spec.events());
    Rng rng = Rng.forEvent(spec.seed(), n);
    long millis = timeline.millisOf(n, rng.nextDouble());
    int workspace = workspaceVolume.sample(rng);
    Moment moment = new Moment(rng, millis, workspace, workspaces.get(workspace));

    ObjectNode event = Parts.NODES.objectNode();
    event.put("id", idPrefix + n);
    event.put("time", Timeline.format(millis));
    double type = rng.nextDouble();
    if (type < 0.35) {
      event.put("type", "api_call");
      apiCalls.fill(event, moment);
    } else if (type < 0.65) {
      event.put("type", "user_action");
      userActions.fill(event, moment);
    } else if (type < 0.75) {
      event.put("type", "background_job");
      jobs.backgroundJob(event, moment);
    } else if (type < 0.80) {
      event.put("type", "system_event");
      jobs.systemEvent(event, moment);
    } else if (type < 0.90) {
      event.put("type", "webhook_delivery");
      webhooks.fill(event, moment);
    } else if (type < 0.97) {
      event.put("type", "auth");
      auth.fill(event, moment);
    } else {
      event.put("type", "error");
      errors.fill(event, moment);
    }
    for (Marker marker : Marker.ALL) {
      if (rng.chance(marker.rate())) mark(event, marker.word(), rng);
    }
    return new GeneratedEvent(moment.workspaceId(), n, event);
  }

  /** Puts a marker word into the request body if there is one (half the time), else into a metadata note. */
  private static void mark(ObjectNode event, String word, Rng rng) {
    String note = switch (rng.nextInt(3)) {
      case 0 -> "project " + word + " rollout";
      case 1 -> "tagged " + word + " by ops";
      default -> word + " beta cohort";
    };
    ObjectNode target = event.path("http").path("request").get("body") instanceof ObjectNode body && rng.chance(0.5)
        ? body
        : event.get("metadata") instanceof ObjectNode metadata ? metadata : event.putObject("metadata");
    String earlier = target.path("note").asString("");
    target.put("note", earlier.isEmpty() ? note : earlier + "; " + note);
  }
}
