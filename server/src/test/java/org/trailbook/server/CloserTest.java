package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stop closes every part, last opened first, even when some of them fail to close. */
class CloserTest {
  @Test
  void closesEveryPartInReverseOrderEvenWhenSomeFail() {
    List<String> closed = new ArrayList<>();
    Closer closer = new Closer();
    closer.add("journal", () -> closed.add("journal"));
    closer.add("index", () -> {
      closed.add("index");
      throw new IllegalStateException("the index cannot commit");
    });
    closer.add("exports", () -> {
      closed.add("exports");
      throw new OutOfMemoryError("simulated");
    });
    closer.add("http", () -> closed.add("http"));
    closer.close();
    assertThat(closed).containsExactly("http", "exports", "index", "journal");
    closer.close(); // a second close closes nothing twice
    assertThat(closed).hasSize(4);
  }
}
