package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.journal.PendingEntry;
import org.trailbook.merkle.Hash;
import tools.jackson.databind.node.ObjectNode;

/**
 * No planted secret survives into the canonical bytes of the stored entry, wherever {@link SecretPlanter} put it —
 * every capture field, every shape the rules promise (nested keys, headers, JSON / form / query-string bodies, URLs
 * with {@code &} or {@code ;}, percent-encoded names, secrets written inside free text) — through the real path:
 * normalize (which redacts) and encode.
 */
class RedactionPropertyTest {
  private final EventNormalizer normalizer = new EventNormalizer();

  @Property(tries = 1000)
  void noPlantedSecretReachesTheStoredEntry(@ForAll long seed) {
    SecretPlanter.Planted p = new SecretPlanter(new Random(seed), false).next(6);
    String sent = p.event().toString();
    assertThat(p.secrets()).isNotEmpty();

    List<ObjectNode> normalized = normalizer.normalize(List.of(new RawEvent(0, p.event(), sent.length())), Instant.parse("2026-11-20T10:00:00Z"));
    PendingEntry pending = EntryEncoder.prepare("acme", "2026-11-20T10:00:00.000Z", normalized.getFirst());
    String stored = new String(EntryEncoder.complete(pending, 0, Hash.ZERO), StandardCharsets.UTF_8);
    for (String s : p.secrets()) {
      for (String form : SecretPlanter.forms(s)) assertThat(stored).as("secret %s planted in %s", s, sent).doesNotContain(form);
    }
    assertThat(stored).contains(Redactor.MARKER);
  }
}
