package org.trailbook.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Optional;
import org.trailbook.export.ExportFiles;
import org.trailbook.export.ExportJob;

/**
 * Export outputs in the database, as {@code bytea} chunks of {@link #CHUNK} bytes in {@code
 * export_chunks} keyed by (workspace, job, attempt, n), so any node serves any download and memory
 * stays at one chunk while writing or reading. The attempt is the run's {@code startedAt}: a run
 * writes and reads only its own chunks, so two runs of one job (one that lost its claim and the one
 * that took over) never mix. A write commits each chunk as it fills and deletes its chunks if it
 * fails; the job is offered only once saved done, after the write returned, so a partial output is
 * never delivered. Deleting a job's output deletes every attempt's chunks.
 */
public final class PostgresExportFiles implements ExportFiles {
  /** 1 MiB: large enough that a row's overhead is nothing, small enough to hold in memory per writer and reader. */
  public static final int CHUNK = 1 << 20;
  private final PostgresDatabase db;
  private final int chunk;

  public PostgresExportFiles(PostgresDatabase db) {
    this(db, CHUNK);
  }

  PostgresExportFiles(PostgresDatabase db, int chunk) {
    this.db = db;
    this.chunk = chunk;
  }

  @Override
  public long write(ExportJob job, Body body) throws IOException {
    // an earlier run's chunks (this node's before a crash, or a run that lost its claim) stay until the job
    // expires: they are never read, since open() reads the attempt of the job as saved done, and never written to
    deleteAttempt(job);
    ChunkStream out = new ChunkStream(job);
    try {
      body.writeTo(out);
      out.close();
      return out.total;
    } catch (IOException | RuntimeException | Error e) {
      try {
        deleteAttempt(job);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public Optional<Output> open(ExportJob job) {
    long[] found = Sql.run(db.dataSource(), "read an export's size", c -> {
      try (var st = c.prepareStatement("select count(*), coalesce(sum(octet_length(data)), 0) from export_chunks where workspace = ? and job_id = ? and attempt = ?")) {
        st.setString(1, job.workspace());
        st.setString(2, job.id());
        st.setLong(3, job.startedAt());
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return new long[] {rs.getLong(1), rs.getLong(2)};
        }
      }
    });
    if (found[0] == 0) return Optional.empty();
    return Optional.of(new Output(found[1], new ChunkReader(job, found[0])));
  }

  @Override
  public void delete(ExportJob job) {
    Sql.run(db.dataSource(), "delete an export's output", c -> {
      try (var st = c.prepareStatement("delete from export_chunks where workspace = ? and job_id = ?")) {
        st.setString(1, job.workspace());
        st.setString(2, job.id());
        return st.executeUpdate();
      }
    });
  }

  /** Deletes what the run of {@code job} (its attempt) wrote; other runs' chunks are theirs. */
  private void deleteAttempt(ExportJob job) {
    Sql.run(db.dataSource(), "delete an export's output", c -> {
      try (var st = c.prepareStatement("delete from export_chunks where workspace = ? and job_id = ? and attempt = ?")) {
        st.setString(1, job.workspace());
        st.setString(2, job.id());
        st.setLong(3, job.startedAt());
        return st.executeUpdate();
      }
    });
  }

  private void insert(ExportJob job, long n, byte[] data, int length) {
    Sql.run(db.dataSource(), "store a chunk of an export", c -> {
      try (var st = c.prepareStatement("insert into export_chunks (workspace, job_id, attempt, n, data) values (?, ?, ?, ?, ?)")) {
        st.setString(1, job.workspace());
        st.setString(2, job.id());
        st.setLong(3, job.startedAt());
        st.setLong(4, n);
        st.setBytes(5, length == data.length ? data : Arrays.copyOf(data, length));
        return st.executeUpdate();
      }
    });
  }

  /** Buffers one chunk and stores it when full; the last (possibly empty) one on close. */
  private final class ChunkStream extends OutputStream {
    private final ExportJob job;
    private final byte[] buffer = new byte[chunk];
    private int used;
    private long n;
    long total;
    private boolean closed;

    ChunkStream(ExportJob job) {
      this.job = job;
    }

    @Override
    public void write(int b) {
      if (used == buffer.length) flushChunk();
      buffer[used++] = (byte) b;
      total++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      while (len > 0) {
        if (used == buffer.length) flushChunk();
        int k = Math.min(len, buffer.length - used);
        System.arraycopy(b, off, buffer, used, k);
        used += k;
        off += k;
        len -= k;
        total += k;
      }
    }

    private void flushChunk() {
      insert(job, n++, buffer, used);
      used = 0;
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      if (used > 0 || n == 0) flushChunk(); // an empty output is one empty chunk: present, not missing
    }
  }

  /** Reads the chunks in order, one query and one chunk in memory at a time. */
  private final class ChunkReader extends InputStream {
    private final ExportJob job;
    private final long chunks;
    private long next;
    private byte[] current = new byte[0];
    private int pos;

    ChunkReader(ExportJob job, long chunks) {
      this.job = job;
      this.chunks = chunks;
    }

    private boolean fill() throws IOException {
      while (pos == current.length) {
        if (next == chunks) return false;
        long n = next++;
        byte[] data = Sql.run(db.dataSource(), "read a chunk of an export", c -> {
          try (var st = c.prepareStatement("select data from export_chunks where workspace = ? and job_id = ? and attempt = ? and n = ?")) {
            st.setString(1, job.workspace());
            st.setString(2, job.id());
            st.setLong(3, job.startedAt());
            st.setLong(4, n);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? rs.getBytes(1) : null;
            }
          }
        });
        if (data == null) throw new IOException("chunk " + n + " of export " + job.id() + " is gone (the export expired while it was read)");
        current = data;
        pos = 0;
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      if (!fill()) return -1;
      int k = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, k);
      pos += k;
      return k;
    }
  }
}
