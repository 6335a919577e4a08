package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadSpecTest {
  private static final Instant END = Instant.parse("2026-11-20T00:00:00Z");

  @Test
  void benchmarkHasTwentyWorkspacesNamedWs01ToWs20() {
    List<String> workspaces = WorkloadSpec.benchmark(1, 10, END).workspaces();
    assertThat(workspaces).hasSize(20).startsWith("ws-01", "ws-02").endsWith("ws-20");
  }

  @Test
  void theLargestWorkspaceGetsAboutAThird() {
    List<WorkspaceShare> shares = WorkloadSpec.benchmark(1, 10, END).shares();
    assertThat(shares.getFirst().workspace()).isEqualTo("ws-01");
    assertThat(shares.getFirst().share()).isCloseTo(1 / 3.0, within(0.02));
    assertThat(shares.stream().mapToDouble(WorkspaceShare::share).sum()).isCloseTo(1.0, within(1e-9));
    assertThat(shares.getLast().share()).isLessThan(0.02);
  }

  @Test
  void aSingleWorkspaceGetsEverything() {
    assertThat(WorkloadSpec.singleWorkspace(1, 10, "demo", END).shares())
        .containsExactly(new WorkspaceShare("demo", 1.0));
  }

  @Test
  void rejectsBadWorkspaceIdsAndCounts() {
    assertThatThrownBy(() -> WorkloadSpec.singleWorkspace(1, 10, "Demo", END)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkloadSpec.singleWorkspace(1, 10, "a b", END)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WorkloadSpec(1, 10, List.of(), END)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WorkloadSpec(1, 10, List.of("a", "a"), END)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkloadSpec.benchmark(1, -1, END)).isInstanceOf(IllegalArgumentException.class);
  }
}
