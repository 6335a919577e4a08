package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UuidV7Test {
  @Test
  void hasVersion7Variant10AndTheTimeInTheFirst48Bits() {
    long now = 1_714_564_800_123L;
    UUID id = new UuidV7(() -> now).next();
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now);
  }

  @Test
  void usesTheCurrentClockByDefault() {
    long before = System.currentTimeMillis();
    UUID id = new UuidV7().next();
    assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis());
  }

  @Test
  void textIsLowercaseHyphenated() {
    assertThat(new UuidV7().nextString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void increasesStrictlyWithinAMillisecondAndWhenTheClockGoesBack() {
    AtomicLong clock = new AtomicLong(1_000);
    UuidV7 ids = new UuidV7(clock::get);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      if (i == 5_000) clock.set(900);
      made.add(ids.nextString());
    }
    assertThat(made).isSorted().doesNotHaveDuplicates();
    assertThat(new HashSet<>(made)).hasSize(10_000);
  }
}
