package org.trailbook.retention;

import net.jqwik.api.PropertyDefaults;
import org.trailbook.archive.FileRestoredViews;
import org.trailbook.checkpoint.FileCheckpoints;
import org.trailbook.integrity.SingleNodeLease;
import org.trailbook.journal.FileJournal;
import org.trailbook.secrets.FileServerSecrets;

/**
 * The purge property ({@link PurgePropertyContract}) on the embedded store: a real file journal, checkpoints and log key
 * in the node's directory, one node that always signs.
 */
@PropertyDefaults(tries = 30)
class PurgePropertyTest extends PurgePropertyContract {
  @Override
  protected Backend newBackend() {
    return dir -> {
      FileJournal journal = FileJournal.open(dir.resolve("journal"));
      return new Store(journal, FileCheckpoints.open(dir.resolve("checkpoints")), new FileServerSecrets(dir.resolve("keys")),
          new SingleNodeLease(), new FileRestoredViews(dir.resolve("restored")), journal::close);
    };
  }
}
