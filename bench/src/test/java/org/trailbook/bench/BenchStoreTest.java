package org.trailbook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --store} and {@code --nodes}: which Trailbook sides a run measures, and what is refused before anything starts. */
class BenchStoreTest {
  @Test
  void theDefaultIsTheFileStoreOnOneNode() {
    assertThat(BenchStore.parse(List.of("file"), 1)).containsExactly(new BenchStore(BenchStore.Kind.FILE, 1));
  }

  @Test
  void bothStoresRunInTheOrderGivenAndNodesApplyToPostgresOnly() {
    List<BenchStore> sides = BenchStore.parse(List.of("file", "postgresql"), 3);
    assertThat(sides).containsExactly(new BenchStore(BenchStore.Kind.FILE, 1), new BenchStore(BenchStore.Kind.POSTGRESQL, 3));
    assertThat(sides).extracting(BenchStore::label).containsExactly("file", "postgresql x3");
    assertThat(sides).extracting(BenchStore::slug).containsExactly("file", "postgresql_3");
    assertThat(BenchStore.parse(List.of(" PostgreSQL "), 1)).extracting(BenchStore::label).containsExactly("postgresql");
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> BenchStore.parse(List.of("mysql"), 1)).hasMessageContaining("--store").hasMessageContaining("mysql");
    assertThatThrownBy(() -> BenchStore.parse(List.of("file", "file"), 1)).hasMessageContaining("twice");
    assertThatThrownBy(() -> BenchStore.parse(List.of(), 1)).hasMessageContaining("--store needs");
    assertThatThrownBy(() -> BenchStore.parse(List.of("postgresql"), 4)).hasMessageContaining("--nodes must be from 1 to 3");
    assertThatThrownBy(() -> BenchStore.parse(List.of("postgresql"), 0)).hasMessageContaining("--nodes");
    assertThatThrownBy(() -> BenchStore.parse(List.of("file"), 2)).hasMessageContaining("--nodes 2 needs --store postgresql");
  }

  @Test
  void theCommandLineRefusesBadSidesWithStatus2BeforeLookingForTheJar() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BenchMain());
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute("--store", "file", "--nodes", "3", "--server-jar", "/no/such.jar");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--nodes 3 needs --store postgresql").doesNotContain("no server jar");
  }

  @Test
  void roundRobinHandsOutEveryNodeInTurn() {
    RoundRobin<String> r = new RoundRobin<>(List.of("a", "b", "c"));
    assertThat(List.of(r.next(), r.next(), r.next(), r.next(), r.next())).containsExactly("a", "b", "c", "a", "b");
    RoundRobin<String> one = new RoundRobin<>(List.of("only"));
    assertThat(List.of(one.next(), one.next())).containsExactly("only", "only");
    assertThatThrownBy(() -> new RoundRobin<>(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
