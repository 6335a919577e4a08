package org.trailbook.workload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.trailbook.workload.Parts.Moment;
import tools.jackson.databind.node.ObjectNode;

/** Test support: one shared population and a way to build many events of one kind directly. */
final class Fixtures {
  static final long SEED = 7;
  static final Instant END = Instant.parse("2026-11-20T00:00:00Z");
  static final Parts PARTS = new Parts(new Population(SEED), SEED);

  private Fixtures() {}

  static Moment moment(long n) {
    return new Moment(Rng.forEvent(SEED, n), END.toEpochMilli() - 1_000_000 + n, (int) (n % 20), "ws-" + (n % 20));
  }

  /** {@code count} events filled by {@code fill}, each starting with id, time and type like the generator's. */
  static List<ObjectNode> events(int count, String type, BiConsumer<ObjectNode, Moment> fill) {
    List<ObjectNode> events = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      Moment moment = moment(n);
      ObjectNode event = Parts.NODES.objectNode()
          .put("id", "evt-test-" + n)
          .put("time", Timeline.format(moment.millis()))
          .put("type", type);
      fill.accept(event, moment);
      events.add(event);
    }
    return events;
  }

  static String status(ObjectNode event) {
    return event.get("status").asString();
  }
}
