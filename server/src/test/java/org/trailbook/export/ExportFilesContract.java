package org.trailbook.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExportFiles} does, run against each backend: outputs are read back byte for
 * byte by another instance, only whole, replaced by a rewrite and gone once deleted.
 */
public abstract class ExportFilesContract {
  /** A store of outputs on this test's backing; called again, another instance on it. */
  protected abstract ExportFiles openFiles() throws IOException;

  /** An output size that spans several of the backend's chunks, if it has chunks. */
  protected abstract int largeSize();

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] read(ExportFiles f, ExportJob job) throws IOException {
    try (ExportFiles.Output o = f.open(job).orElseThrow()) {
      byte[] all = o.stream().readAllBytes();
      assertThat(all).hasSize((int) o.size());
      return all;
    }
  }

  @Test
  void anOutputIsReadBackWholeByAnotherInstance() throws IOException {
    ExportFiles f = openFiles();
    ExportJob job = ExportJobStoreContract.queued("acme", 1);
    byte[] data = bytes(largeSize(), 1);
    long written = f.write(job, out -> {
      for (int i = 0; i < data.length; i += 1000) out.write(data, i, Math.min(1000, data.length - i)); // in pieces, as a writer does
    });
    assertThat(written).isEqualTo(data.length);
    assertThat(read(openFiles(), job)).isEqualTo(data);
    ExportJob other = ExportJobStoreContract.queued("globex", 1);
    assertThat(f.open(other)).isEmpty();
  }

  @Test
  void anEmptyOutputIsPresentAndAFailedWriteLeavesNothing() throws IOException {
    ExportFiles f = openFiles();
    ExportJob empty = ExportJobStoreContract.queued("acme", 1);
    assertThat(f.write(empty, out -> {})).isZero();
    assertThat(read(f, empty)).isEmpty();
    ExportJob failing = ExportJobStoreContract.queued("acme", 2);
    assertThatThrownBy(() -> f.write(failing, out -> {
      out.write(bytes(largeSize(), 2));
      throw new IOException("the disk is full");
    })).hasMessage("the disk is full");
    assertThat(openFiles().open(failing)).isEmpty();
  }

  @Test
  void aRewriteReplacesTheOutputAndDeleteRemovesIt() throws IOException {
    ExportFiles f = openFiles();
    ExportJob job = ExportJobStoreContract.queued("acme", 1);
    f.write(job, out -> out.write(bytes(largeSize(), 3)));
    byte[] shorter = bytes(10, 4);
    f.write(job, out -> out.write(shorter)); // a job run again from scratch
    assertThat(read(openFiles(), job)).isEqualTo(shorter);
    f.delete(job);
    assertThat(openFiles().open(job)).isEmpty();
    f.delete(job); // twice is harmless
  }
}
