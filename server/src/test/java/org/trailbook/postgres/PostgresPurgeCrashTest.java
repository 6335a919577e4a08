package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.postgres.PostgresEventStoreNodesTest.batch;
import static org.trailbook.postgres.PostgresPurgeTest.count;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.Purge;
import org.trailbook.merkle.TreeHasher;

/**
 * SIGKILL of a node at random moments of its purges: after each kill (the database rolls back what the dead connection
 * had not committed) the store holds the state after some prefix of the plan, never a mix, with every retained entry
 * byte for byte, the purged leaf hashes, the ids, and a chain that goes on.
 */
class PostgresPurgeCrashTest {
  static final String WS = "ws-a";
  static final int ENTRIES = 20_000;
  static final int OTHER = 300;
  /** Kills that must land while the child runs its plan (two per round, so as many rounds at most). */
  static final int KILLS = 12;

  record Step(long toSeq, long[] keep) {}

  /** Each step keeps part of what the one before kept, so running the plan again after a kill changes nothing done. */
  static final List<Step> PLAN = List.of(
      new Step(4_000, new long[] {5, 100, 3_500}),
      new Step(8_000, new long[] {100, 3_500}),
      new Step(12_000, new long[] {3_500}),
      new Step(16_000, new long[0]));

  @Test
  void everyKillLeavesTheStateAfterSomePrefixOfThePlan() throws Exception {
    String template = TestPostgres.newDatabase();
    List<Entry> original;
    List<Entry> other;
    try (PostgresEventStore s = PostgresEventStore.open(StoreUrl.parse(template))) {
      for (int i = 0; i < ENTRIES; i += 1_000) {
        s.append(WS, batch(WS, "a" + i + "-", 1_000)).join();
        if (i % 100 == 0) s.append("ws-b", batch("ws-b", "b" + i + "-", 15)).join();
      }
      original = s.read(WS, 0, ENTRIES);
      other = s.read("ws-b", 0, OTHER);
    }
    // how long an uninterrupted child takes from its store being open to its end: the kills land within it
    String calibration = copy(template, "calibration");
    long ran = runAndKill(calibration, 600_000);
    assertThat(ran).as("the calibration run ends by itself").isNotNegative();
    int span = (int) Math.max(50, ran);
    assertThat(check(calibration, original, other, "calibration run")).isEqualTo(PLAN.size());
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int kills = 0;
    List<Integer> statesSeen = new ArrayList<>();
    for (int round = 0; kills < KILLS && round < KILLS; round++) {
      String url = copy(template, "round" + round);
      String trace = "seed " + seed + ", child run " + span + " ms, round " + round;
      for (int k = 0; k < 2; k++) {
        int delayMillis = random.nextInt(span);
        trace += ", kill " + k + " after " + delayMillis + " ms";
        if (runAndKill(url, delayMillis) < 0) kills++;
        awaitNoOtherSessions(url);
      }
      statesSeen.add(check(url, original, other, trace));
    }
    System.out.println("PostgresPurgeCrashTest: seed " + seed + ", child run " + span + " ms, " + kills + " kills, purges committed per round "
        + statesSeen);
    assertThat(kills).as("kills that landed before the child finished (seed %d)", seed).isGreaterThanOrEqualTo(KILLS);
    assertThat(new HashSet<>(statesSeen)).as("purges committed per round (seed %d): %s", seed, statesSeen).hasSizeGreaterThan(1);
  }

  /** A new database holding what {@code template} holds (PostgreSQL copies it), answers its URL. */
  private static String copy(String template, String name) throws Exception {
    StoreUrl t = StoreUrl.parse(template);
    String templateDb = t.jdbcUrl().substring(t.jdbcUrl().lastIndexOf('/') + 1);
    String db = templateDb + "_" + name;
    String admin = t.jdbcUrl().substring(0, t.jdbcUrl().lastIndexOf('/') + 1) + "postgres";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection c = java.sql.DriverManager.getConnection(admin, t.user(), t.password().orElse(null)); Statement s = c.createStatement()) {
      while (true) {
        try {
          s.execute("CREATE DATABASE " + db + " TEMPLATE " + templateDb);
          break;
        } catch (java.sql.SQLException inUse) { // 55006: a session of the template is still ending
          assertThat(inUse.getSQLState()).isEqualTo("55006");
          assertThat(System.nanoTime()).as("the template's sessions end").isLessThan(deadline);
          LockSupport.parkNanos(50_000_000);
        }
      }
    }
    return template.substring(0, template.lastIndexOf('/') + 1) + db;
  }

  /**
   * Runs the child on {@code url} and kills it {@code delayMillis} after its store opened: answers -1 if it was still
   * running then, else how many milliseconds it ran from its store being open to its end.
   */
  private static long runAndKill(String url, int delayMillis) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", cp, PostgresPurgeCrashChild.class.getName(), url);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String line;
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      // JVM and start-up noise before the store is open
    }
    long ready = System.nanoTime();
    long deadline = ready + delayMillis * 1_000_000L;
    while (System.nanoTime() < deadline && p.isAlive()) LockSupport.parkNanos(1_000_000);
    boolean alive = p.isAlive();
    long ran = (System.nanoTime() - ready) / 1_000_000;
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Thread drain = Thread.ofPlatform().start(() -> out.lines().forEach(l -> {}));
    drain.join(10_000);
    if (!alive) assertThat(p.exitValue()).as("the child ended on its own: it must have succeeded").isZero();
    return alive ? -1 : ran;
  }

  /** Waits until the killed child's sessions are gone: the database has rolled back what they had not committed. */
  private static void awaitNoOtherSessions(String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (count(StoreUrl.parse(url), "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") > 0) {
      assertThat(System.nanoTime()).as("the killed child's sessions end").isLessThan(deadline);
      LockSupport.parkNanos(10_000_000);
    }
  }

  /** Asserts the store at {@code url} is in the state after some prefix of the plan; returns the prefix length. */
  private static int check(String url, List<Entry> original, List<Entry> other, String trace) throws Exception {
    TreeHasher hasher = new TreeHasher();
    try (PostgresEventStore s = PostgresEventStore.open(StoreUrl.parse(url))) {
      List<Purge> purges = s.purges(WS);
      assertThat(purges.size()).as(trace).isLessThanOrEqualTo(PLAN.size());
      Set<Long> stored = new TreeSet<>();
      for (long seq = 0; seq < ENTRIES; seq++) stored.add(seq);
      long horizon = 0;
      for (int i = 0; i < purges.size(); i++) {
        Step step = PLAN.get(i);
        assertThat(purges.get(i).toSeq()).as(trace).isEqualTo(step.toSeq());
        assertThat(purges.get(i).fromSeq()).as(trace).isEqualTo(horizon);
        horizon = step.toSeq();
        long to = horizon;
        stored.removeIf(seq -> seq < to && Arrays.stream(step.keep()).noneMatch(k -> k == seq));
      }
      assertThat(s.purgedBefore(WS)).as(trace).isEqualTo(horizon);
      assertThat(s.size(WS)).as(trace).isEqualTo(ENTRIES);
      List<Entry> read = s.read(WS, 0, ENTRIES);
      assertThat(read).extracting(Entry::seq).as(trace).containsExactlyElementsOf(stored);
      for (Entry e : read) assertThat(e.canonical()).as(trace + " seq " + e.seq()).isEqualTo(original.get((int) e.seq()).canonical());
      assertThat(count(StoreUrl.parse(url), "SELECT count(*) FROM entry_ids WHERE workspace = '" + WS + "'")).as(trace).isEqualTo(stored.size());
      assertThat(s.findById(WS, original.get(5).id()).isPresent()).as(trace).isEqualTo(stored.contains(5L));
      byte[] leaves = s.purgedLeaves(WS, 0, horizon);
      for (int seq = 0; seq < horizon; seq++) {
        assertThat(Arrays.copyOfRange(leaves, seq * 32, seq * 32 + 32)).as(trace + " leaf " + seq)
            .isEqualTo(hasher.leafHash(original.get(seq).canonical()).toBytes());
      }
      List<Entry> b = s.read("ws-b", 0, OTHER);
      assertThat(b).as(trace).hasSize(OTHER);
      for (int i = 0; i < OTHER; i++) assertThat(b.get(i).canonical()).isEqualTo(other.get(i).canonical());
      AppendResult next = s.append(WS, batch(WS, "after-crash", 1)).join().getFirst();
      assertThat(next.seq()).as(trace).isEqualTo(ENTRIES);
      assertThat(s.read(WS, ENTRIES, ENTRIES + 1).getFirst().json().get("prev_hash").asString()).as(trace)
          .isEqualTo(hasher.leafHash(original.getLast().canonical()).hex());
      return purges.size();
    }
  }
}
