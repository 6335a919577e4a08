package org.trailbook.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where finished export jobs' outputs are kept: {@link FileExportFiles} ({@code DIR/exports/<id>.<ext>},
 * the embedded default) or {@code PostgresExportFiles} (chunks in the database, so any node serves
 * the download). An output is only ever opened whole: a write that fails or is interrupted leaves
 * nothing to open.
 */
public interface ExportFiles {
  /** What writes an output's bytes. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** A finished output: its length and its bytes, to be closed by the reader. */
  record Output(long size, InputStream stream) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  /** Writes the output of {@code job} (replacing any earlier one), durably; answers its length in bytes. */
  long write(ExportJob job, Body body) throws IOException;

  /** The output of {@code job}, or empty if there is none (never written, or deleted when it expired). */
  Optional<Output> open(ExportJob job) throws IOException;

  /** Deletes the output of {@code job}, if there is one. */
  void delete(ExportJob job) throws IOException;
}
