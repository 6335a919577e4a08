package org.trailbook.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Background threads really run at nice {@value BackgroundPriority#NICE}, as the kernel sees them (/proc). */
class BackgroundPriorityTest {
  @Test
  void aPlatformThreadIsLoweredOnceAndOthersKeepTheirPriority() throws Exception {
    CompletableFuture<int[]> nice = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        int before = niceOfThisThread();
        boolean lowered = BackgroundPriority.lower() && BackgroundPriority.lower();
        nice.complete(new int[] {before, lowered ? 1 : 0, niceOfThisThread()});
      } catch (Throwable t) {
        nice.completeExceptionally(t);
      }
    });
    int[] got = nice.get();
    assertThat(got[0]).isZero();
    assertThat(got[1]).as("lowered").isEqualTo(1);
    assertThat(got[2]).isEqualTo(BackgroundPriority.NICE);
    assertThat(niceOfThisThread()).as("the calling thread is not touched").isZero();
  }

  @Test
  void aVirtualThreadIsNotLowered() throws Exception {
    CompletableFuture<Boolean> lowered = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> lowered.complete(BackgroundPriority.lower()));
    assertThat(lowered.get()).as("its carrier runs other requests too").isFalse();
  }

  /** The calling thread's nice value as the kernel sees it: field 19 of /proc/thread-self/stat, the 17th after the name. */
  private static int niceOfThisThread() throws IOException {
    String s = Files.readString(Path.of("/proc/thread-self/stat"));
    return Integer.parseInt(s.substring(s.lastIndexOf(')') + 2).split(" ")[16]);
  }
}
