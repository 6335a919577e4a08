package org.trailbook.retention;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.trailbook.checkpoint.FileCheckpoints;
import org.trailbook.integrity.SingleNodeLease;
import org.trailbook.journal.FileJournal;
import org.trailbook.secrets.FileServerSecrets;

/**
 * The purge property ({@link PurgePropertyContract}) on the embedded store: a real file journal, checkpoints and log key
 * in the node's directory, one node that always signs.
 */
class PurgePropertyTest extends PurgePropertyContract {
  @Property(tries = 30)
  void retainedEntriesStayProvableAndNothingInsideItsWindowIsLost(@ForAll("ops") List<Op> ops) throws Exception {
    check(ops);
  }

  @Override
  protected Backend newBackend() {
    return dir -> {
      FileJournal journal = FileJournal.open(dir.resolve("journal"));
      return new Store(journal, FileCheckpoints.open(dir.resolve("checkpoints")), new FileServerSecrets(dir.resolve("keys")),
          new SingleNodeLease(), journal::close);
    };
  }
}
