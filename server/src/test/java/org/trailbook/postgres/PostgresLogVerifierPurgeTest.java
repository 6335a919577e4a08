package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.postgres.PostgresEventStoreNodesTest.batch;
import static org.trailbook.postgres.PostgresPurgeTest.raw;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.journal.Entry;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.MerkleRoots;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.verify.DataDirectoryVerifier;
import org.trailbook.verify.Verdict;

/**
 * {@code verify --store} on a purged log: workspace "acme" had seqs 0..39 with checkpoints signed at 10 and 40, was
 * purged to 20 (keeping 5 and 12) and then to 30 (keeping 12), grew to 45 and was signed at 45; "beta" was never purged.
 * The purged holes are checked through the kept leaf hashes, and tampering with a retained entry or with what a purge
 * kept is still found.
 */
class PostgresLogVerifierPurgeTest {
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final LogKey key = LogKey.generate("trailbook");
  private final TreeHasher hasher = new TreeHasher();
  private StoreUrl url;

  @BeforeEach
  void purgedLogWithCheckpoints() {
    url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresDatabase db = PostgresDatabase.open(url, PostgresDatabase.Options.defaults());
    opened.add(db);
    PostgresEventStore store = PostgresEventStore.open(db);
    opened.add(store);
    PostgresCheckpoints checkpoints = PostgresCheckpoints.open(db);
    store.append("acme", batch("acme", "a", 40)).join();
    store.append("beta", batch("beta", "b", 5)).join();
    List<Entry> original = store.read("acme", 0, 40);
    sign(checkpoints, "acme", original, 10);
    sign(checkpoints, "acme", original, 40);
    sign(checkpoints, "beta", store.read("beta", 0, 5), 5);
    store.purge("acme", 20, new long[] {5, 12}, "policy 30 days");
    store.purge("acme", 30, new long[] {12}, "policy 7 days");
    store.append("acme", batch("acme", "later", 5)).join();
    List<Entry> all = new ArrayList<>(original);
    all.addAll(store.read("acme", 40, 45));
    sign(checkpoints, "acme", all, 45);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) c.close();
  }

  private void sign(PostgresCheckpoints checkpoints, String ws, List<Entry> entries, int size) {
    MerkleRoots roots = new MerkleRoots();
    for (Entry e : entries.subList(0, size)) roots.append(hasher.leafHash(e.canonical()));
    checkpoints.append(ws, size, key.sign(new Checkpoint(key.name() + "/" + ws, size, roots.root())));
  }

  private DataDirectoryVerifier.Report verify() {
    return PostgresLogVerifier.verify(url, key.verifier(), null);
  }

  private Verdict acme(DataDirectoryVerifier.Report report) {
    return report.verdicts().stream().filter(v -> v.workspace().equals("acme")).findFirst().orElseThrow();
  }

  private void sql(String statement) throws Exception {
    try (Connection c = raw(url); Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  /** Changes one letter of the entry's action inside a string: still canonical JSON, no longer the entry hashed. */
  private void flipActionOf(long seq) throws Exception {
    sql("UPDATE entries SET canonical = overlay(canonical PLACING convert_to('X', 'UTF8') FROM position(convert_to('thing', 'UTF8') IN canonical) FOR 1) "
        + "WHERE workspace = 'acme' AND seq = " + seq);
  }

  @Test
  void aPurgedLogVerifiesAcrossItsHolesAgainstCheckpointsSignedBeforeAndAfterAndNamesEachPurge() {
    DataDirectoryVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    Verdict acme = acme(report);
    assertThat(acme.treeSize()).isEqualTo(45);
    assertThat(acme.checkpointsVerified()).isEqualTo(3);
    assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith("acme: entries 0..19 purged (18 removed)").contains("by policy 30 days"))
        .anySatisfy(n -> assertThat(n).startsWith("acme: entries 20..29 purged (11 removed)").contains("by policy 7 days"))
        .noneSatisfy(n -> assertThat(n).startsWith("beta"));
  }

  @Test
  void aFlippedByteInARetainedEntryStillFails() throws Exception {
    flipActionOf(35);
    Verdict acme = acme(verify());
    assertThat(acme.ok()).isFalse();
    assertThat(acme.line()).contains("FAILED at seq 35").contains("entry seq 35 was altered");
  }

  @Test
  void aFlippedByteInAnEntryKeptBelowTheHorizonFails() throws Exception {
    flipActionOf(12);
    Verdict acme = acme(verify());
    assertThat(acme.line()).contains("FAILED at seq 12");
  }

  @Test
  void aKeptEntryWhoseRowWasDeletedIsMissingNotPurged() throws Exception {
    sql("DELETE FROM entries WHERE workspace = 'acme' AND seq = 12");
    Verdict acme = acme(verify());
    assertThat(acme.line()).contains("FAILED at seq 12").contains("missing");
  }

  @Test
  void anAlteredPurgedLeafHashFailsTheChainOrTheCheckpoint() throws Exception {
    // the leaf hash kept for seq 3: only the checkpoint of size 10 covers it
    sql("UPDATE purged_leaves SET hashes = overlay(hashes PLACING '\\xff'::bytea FROM 3 * 32 + 1 FOR 1) WHERE workspace = 'acme'");
    Verdict acme = acme(verify());
    assertThat(acme.ok()).isFalse();
    assertThat(acme.line()).contains("checkpoint of size 10");
  }

  @Test
  void purgeBookkeepingThatDoesNotAddUpFails() throws Exception {
    sql("UPDATE purges SET last_leaf = '\\x" + "00".repeat(Hash.SIZE) + "'::bytea WHERE workspace = 'acme' AND n = 1");
    Verdict acme = acme(verify());
    assertThat(acme.line()).contains("the purge up to seq 20 records a last leaf hash that is not the one kept for seq 19");
  }

  @Test
  void purgedLeafHashesCutShortFail() throws Exception {
    sql("UPDATE purged_leaves SET hashes = substring(hashes FROM 1 FOR 10 * 32) WHERE workspace = 'acme'");
    DataDirectoryVerifier.Report report = verify();
    assertThat(acme(report).line()).contains("purged_leaves").contains("hold 10 hashes");
    assertThat(report.verdicts()).filteredOn(v -> v.workspace().equals("beta")).allMatch(Verdict::ok);
  }
}
