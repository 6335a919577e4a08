package org.trailbook.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Background threads really run at nice {@value BackgroundPriority#NICE}, as the kernel sees them (/proc). */
class BackgroundPriorityTest {
  @Test
  void aPlatformThreadIsLoweredOnceAndOthersKeepTheirPriority() throws Exception {
    CompletableFuture<int[]> nice = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        int before = BackgroundPriority.niceOfThisThread();
        boolean lowered = BackgroundPriority.lower() && BackgroundPriority.lower();
        nice.complete(new int[] {before, lowered ? 1 : 0, BackgroundPriority.niceOfThisThread()});
      } catch (Throwable t) {
        nice.completeExceptionally(t);
      }
    });
    int[] got = nice.get();
    assertThat(got[0]).isZero();
    assertThat(got[1]).as("lowered").isEqualTo(1);
    assertThat(got[2]).isEqualTo(BackgroundPriority.NICE);
    assertThat(BackgroundPriority.niceOfThisThread()).as("the calling thread is not touched").isZero();
  }

  @Test
  void aVirtualThreadIsNotLowered() throws Exception {
    CompletableFuture<Boolean> lowered = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> lowered.complete(BackgroundPriority.lower()));
    assertThat(lowered.get()).as("its carrier runs other requests too").isFalse();
  }
}
