package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.journal.EventStoreContract.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.merkle.TreeHasher;

/**
 * SIGKILL at random moments of purges and of the compaction resumed at open (many small segments, so
 * most kills land inside compaction): after each crash the reopened journal holds the state before or
 * after each purge of the plan, never a mix, with every retained entry byte for byte.
 */
class PurgeCrashTest {
  static final String WS = "ws-a";
  static final FileJournal.Options OPTIONS = new FileJournal.Options(16 << 10, 10_000, 20_000);
  static final int ENTRIES = 3000;
  static final int OTHER = 300;

  record Step(long toSeq, long[] keep) {}

  static final List<Step> PLAN = List.of(
      new Step(600, new long[] {5, 100, 350}),
      new Step(1200, new long[] {100, 350}),
      new Step(1800, new long[] {350}),
      new Step(2400, new long[0]));

  @TempDir Path root;

  @Test
  void everyKillLeavesTheStateBeforeOrAfterEachPurge() throws Exception {
    Path template = root.resolve("template");
    List<Entry> original;
    List<Entry> other;
    try (FileJournal j = FileJournal.open(template, OPTIONS)) {
      for (int i = 0; i < ENTRIES; i += 10) {
        j.append(WS, batch(WS, "a" + i + "-", 10)).join();
        if (i % 100 == 0) j.append("ws-b", batch("ws-b", "b" + i + "-", 10)).join();
      }
      original = j.read(WS, 0, ENTRIES);
      other = j.read("ws-b", 0, OTHER);
    }
    // how long an uninterrupted child takes from opening to its end: the kills land within it
    Path calibration = root.resolve("calibration");
    copy(template, calibration);
    long start = System.nanoTime();
    assertThat(runAndKill(calibration, 600_000)).isFalse();
    int span = (int) Math.max(50, (System.nanoTime() - start) / 1_000_000);
    check(calibration, original, other, "calibration run");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int kills = 0;
    List<Integer> statesSeen = new ArrayList<>();
    for (int round = 0; kills < 20 && round < 40; round++) {
      Path dir = root.resolve("round-" + round);
      copy(template, dir);
      String trace = "seed " + seed + ", child run " + span + " ms, round " + round;
      for (int k = 0; k < 2; k++) {
        int delayMillis = random.nextInt(span);
        trace += ", kill " + k + " after " + delayMillis + " ms";
        if (runAndKill(dir, delayMillis)) kills++;
      }
      statesSeen.add(check(dir, original, other, trace));
    }
    System.out.println("PurgeCrashTest: seed " + seed + ", child run " + span + " ms, " + kills + " kills, purges committed per round " + statesSeen);
    assertThat(kills).as("kills that landed before the child finished (seed %d)", seed).isGreaterThanOrEqualTo(20);
    // the kills landed in different purges, not all before or all after the plan
    assertThat(new java.util.HashSet<>(statesSeen)).as("purges committed per round (seed %d): %s", seed, statesSeen).hasSizeGreaterThan(1);
  }

  /** Runs the child on {@code dir} and kills it {@code delayMillis} after it opened the journal; true if it was still running. */
  private static boolean runAndKill(Path dir, int delayMillis) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", cp, PurgeCrashChild.class.getName(), dir.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String line;
    while ((line = out.readLine()) != null && !line.equals("OPENING")) {
      // JVM noise before the journal opens
    }
    // from here on the child opens (resuming compaction) and purges: the kill lands somewhere in there
    long deadline = System.nanoTime() + delayMillis * 1_000_000L;
    while (System.nanoTime() < deadline && p.isAlive()) TimeUnit.MILLISECONDS.sleep(1);
    boolean alive = p.isAlive();
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Thread drain = Thread.ofPlatform().start(() -> out.lines().forEach(l -> {}));
    drain.join(10_000);
    if (!alive) assertThat(p.exitValue()).as("the child ended on its own: it must have succeeded").isZero();
    return alive;
  }

  /** Asserts the journal in {@code dir} is in the state after some prefix of the plan; returns the prefix length. */
  private static int check(Path dir, List<Entry> original, List<Entry> other, String trace) {
    TreeHasher hasher = new TreeHasher();
    try (FileJournal j = FileJournal.open(dir, OPTIONS)) {
      List<Purge> purges = j.purges(WS);
      assertThat(purges.size()).as(trace).isLessThanOrEqualTo(PLAN.size());
      PurgeHorizon state = PurgeHorizon.NONE;
      for (int i = 0; i < purges.size(); i++) {
        Step step = PLAN.get(i);
        assertThat(purges.get(i).toSeq()).as(trace).isEqualTo(step.toSeq());
        assertThat(purges.get(i).fromSeq()).as(trace).isEqualTo(state.horizon());
        PurgeHorizon was = state;
        state = state.after(purges.get(i), Arrays.stream(step.keep()).filter(s -> !was.purged(s)).toArray());
      }
      assertThat(j.purgedBefore(WS)).as(trace).isEqualTo(state.horizon());
      assertThat(j.size(WS)).as(trace).isEqualTo(ENTRIES);
      List<Entry> read = j.read(WS, 0, ENTRIES);
      List<Long> expected = new ArrayList<>();
      for (long s = 0; s < ENTRIES; s++) if (!state.purged(s)) expected.add(s);
      assertThat(read).extracting(Entry::seq).as(trace).containsExactlyElementsOf(expected);
      for (Entry e : read) assertThat(e.canonical()).as(trace + " seq " + e.seq()).isEqualTo(original.get((int) e.seq()).canonical());
      assertThat(j.findById(WS, original.get(1).id()).isPresent()).as(trace).isEqualTo(!state.purged(1));
      assertThat(j.findById(WS, original.get(350).id()).isPresent()).as(trace).isEqualTo(!state.purged(350));
      assertThat(j.findById(WS, original.get(2999).id()).isPresent()).as(trace).isTrue();
      byte[] leaves = j.purgedLeaves(WS, 0, state.horizon());
      for (int s = 0; s < state.horizon(); s++) {
        assertThat(Arrays.copyOfRange(leaves, s * 32, s * 32 + 32)).as(trace + " leaf " + s).isEqualTo(hasher.leafHash(original.get(s).canonical()).toBytes());
      }
      List<Entry> b = j.read("ws-b", 0, OTHER);
      assertThat(b).as(trace).hasSize(OTHER);
      for (int i = 0; i < OTHER; i++) assertThat(b.get(i).canonical()).isEqualTo(other.get(i).canonical());
      AppendResult next = j.append(WS, batch(WS, "after-crash", 1)).join().getFirst();
      assertThat(next.seq()).as(trace).isEqualTo(ENTRIES);
      assertThat(j.read(WS, ENTRIES, ENTRIES + 1).getFirst().json().get("prev_hash").asString()).as(trace)
          .isEqualTo(hasher.leafHash(original.getLast().canonical()).hex());
      return purges.size();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }
}
