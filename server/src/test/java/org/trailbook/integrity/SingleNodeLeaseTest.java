package org.trailbook.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** On the embedded store this node always signs, until it closes; there is no background part to watch. */
class SingleNodeLeaseTest {
  @Test
  void heldUntilClosed() throws Exception {
    SigningLease lease = new SingleNodeLease();
    assertThat(lease.held()).isTrue();
    assertThat(lease.knownHeld()).isTrue();
    assertThat(lease.awaitHeld(Duration.ZERO)).isTrue();
    assertThat(lease.health()).isEmpty();
    lease.close();
    assertThat(lease.held()).isFalse();
    assertThat(lease.knownHeld()).isFalse();
    assertThat(lease.awaitHeld(Duration.ofMillis(1))).isFalse();
  }
}
