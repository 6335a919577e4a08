package org.trailbook.verify;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.SignedNote;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.InclusionProof;
import org.trailbook.merkle.TreeStore;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a verification bundle (a zip; the format is in {@code docs/verification.md}): {@code
 * manifest.json}, the signed {@code checkpoint}, {@code entries.ndjson} with the canonical entries
 * byte for byte, and, unless the entries are the whole log up to the checkpoint, {@code
 * proofs.ndjson} with one RFC 9162 inclusion proof per entry against that checkpoint. Entries are
 * streamed from the store in chunks: memory stays constant.
 */
public final class BundleWriter {
  /** The bundle format's name and version, as {@code manifest.json} states them. */
  public static final String FORMAT = "trailbook-bundle";
  public static final int VERSION = 1;
  private static final int CHUNK = 1000;
  private static final java.util.Set<String> RESERVED = java.util.Set.of("manifest.json", "checkpoint", "entries.ndjson", "proofs.ndjson");

  /** Which entries go into a bundle. */
  public sealed interface Selection permits Range, Seqs, Streamed {
    long count();

    long first();

    long last();
  }

  /** The contiguous entries {@code start <= seq < end}. */
  public record Range(long start, long end) implements Selection {
    public Range {
      if (start < 0 || end <= start) throw new IllegalArgumentException("bundle range [" + start + ", " + end + ") is empty or negative");
    }

    @Override
    public long count() {
      return end - start;
    }

    @Override
    public long first() {
      return start;
    }

    @Override
    public long last() {
      return end - 1;
    }
  }

  /** A filtered set of entries, by seq in ascending order (for example the result of a search). */
  public record Seqs(List<Long> seqs) implements Selection {
    public Seqs {
      seqs = List.copyOf(seqs);
      if (seqs.isEmpty()) throw new IllegalArgumentException("bundle selection is empty");
      for (int i = 1; i < seqs.size(); i++) {
        if (seqs.get(i) <= seqs.get(i - 1)) throw new IllegalArgumentException("bundle seqs must ascend: " + seqs.get(i) + " after " + seqs.get(i - 1));
      }
    }

    @Override
    public long count() {
      return seqs.size();
    }

    @Override
    public long first() {
      return seqs.getFirst();
    }

    @Override
    public long last() {
      return seqs.getLast();
    }
  }

  /**
   * A filtered set too large to hold in memory: {@code seqs} produces the same ascending seqs afresh for each pass
   * (the entries, then the proofs), so a bundle of any size is written in constant memory. {@code count}, {@code
   * first} and {@code last} must describe what it produces; the writer checks as it goes.
   */
  public record Streamed(long count, long first, long last, Supplier<PrimitiveIterator.OfLong> seqs) implements Selection {
    public Streamed {
      if (count <= 0 || first < 0 || last < first) throw new IllegalArgumentException("bundle selection is empty or negative");
    }
  }

  /** Writes one member's bytes; the stream is the zip member's and must not be closed. */
  @FunctionalInterface
  public interface MemberWriter {
    void write(OutputStream out) throws IOException;
  }

  /** A further zip member beside the bundle's own (for example the same export as CSV); verifiers ignore it. */
  public record Extra(String name, MemberWriter writer) {}

  private BundleWriter() {}

  /**
   * Writes the bundle of {@code selection} from {@code workspace}'s log to {@code out} (not closed),
   * proven against {@code signedCheckpoint}, which must cover every selected seq and whose tree
   * size {@code tree} must hold. {@code redaction}, if not null, rewrites each entry (the bundle is
   * then marked redacted: its entries can no longer be verified, only the checkpoint).
   */
  public static void write(OutputStream out, EventStore store, TreeStore tree, String workspace, String signedCheckpoint,
      Selection selection, UnaryOperator<byte[]> redaction) {
    write(out, store, tree, workspace, signedCheckpoint, selection, redaction, List.of());
  }

  /** As {@link #write(OutputStream, EventStore, TreeStore, String, String, Selection, UnaryOperator)}, then {@code extras}. */
  public static void write(OutputStream out, EventStore store, TreeStore tree, String workspace, String signedCheckpoint,
      Selection selection, UnaryOperator<byte[]> redaction, List<Extra> extras) {
    Checkpoint checkpoint = Checkpoint.parse(SignedNote.parse(signedCheckpoint).text());
    long treeSize = checkpoint.treeSize();
    if (selection.last() >= treeSize) {
      throw new InvalidInputException("out_of_range", "bundle entries up to seq " + selection.last()
          + " are not covered by the checkpoint of size " + treeSize);
    }
    boolean wholeLog = selection instanceof Range r && r.start() == 0 && r.end() == treeSize;
    ZipOutputStream zip = new ZipOutputStream(out);
    try {
      zip.putNextEntry(new ZipEntry("manifest.json"));
      zip.write(manifest(workspace, checkpoint, selection, wholeLog, redaction != null));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("checkpoint"));
      zip.write(signedCheckpoint.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("entries.ndjson"));
      forEachEntry(store, workspace, selection, e -> {
        zip.write(redaction == null ? e.canonical() : redaction.apply(e.canonical()));
        zip.write('\n');
      });
      zip.closeEntry();
      if (!wholeLog) {
        zip.putNextEntry(new ZipEntry("proofs.ndjson"));
        forEachSeq(selection, seq -> {
          zip.write(proofLine(tree.inclusionProof(seq, treeSize)));
          zip.write('\n');
        });
        zip.closeEntry();
      }
      for (Extra extra : extras) {
        if (RESERVED.contains(extra.name())) throw new IllegalArgumentException("a bundle's own member cannot be an extra: " + extra.name());
        zip.putNextEntry(new ZipEntry(extra.name()));
        extra.writer().write(new java.io.FilterOutputStream(zip) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            zip.write(b, off, len);
          }

          @Override
          public void close() {
            // the zip member ends with closeEntry
          }
        });
        zip.closeEntry();
      }
      zip.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the verification bundle", e);
    }
  }

  /** One proof as the HTTP API and {@code proofs.ndjson} give it: {@code {"index","size","hashes":[base64…]}}. */
  public static byte[] proofLine(InclusionProof proof) {
    ObjectNode o = Json.MAPPER.createObjectNode().put("index", proof.leafIndex()).put("size", proof.treeSize());
    ArrayNode hashes = o.putArray("hashes");
    for (Hash h : proof.hashes()) hashes.add(h.base64());
    return Json.MAPPER.writeValueAsBytes(o);
  }

  private static byte[] manifest(String workspace, Checkpoint checkpoint, Selection selection, boolean wholeLog, boolean redacted) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("format", FORMAT).put("version", VERSION).put("workspace", workspace).put("origin", checkpoint.origin());
    m.put("tree_size", checkpoint.treeSize());
    m.put("selection", selection instanceof Range ? "range" : "list");
    m.put("first_seq", selection.first()).put("last_seq", selection.last()).put("count", selection.count());
    m.put("proofs", wholeLog ? "none" : "inclusion");
    m.put("redacted", redacted);
    return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
  }

  private interface IoConsumer<T> {
    void accept(T t) throws IOException;
  }

  private interface SeqConsumer {
    void accept(long seq) throws IOException;
  }

  private static void forEachEntry(EventStore store, String workspace, Selection selection, IoConsumer<Entry> action) throws IOException {
    switch (selection) {
      case Range r -> {
        for (long from = r.start(); from < r.end(); from += CHUNK) {
          List<Entry> chunk = store.read(workspace, from, Math.min(r.end(), from + CHUNK));
          if (chunk.size() != Math.min(CHUNK, r.end() - from)) throw new IllegalStateException("the log of " + workspace + " ends before seq " + r.last());
          for (Entry e : chunk) action.accept(e);
        }
      }
      case Seqs s -> {
        for (long seq : s.seqs()) {
          List<Entry> one = store.read(workspace, seq, seq + 1);
          if (one.isEmpty()) throw new IllegalStateException("the log of " + workspace + " has no seq " + seq);
          action.accept(one.getFirst());
        }
      }
      case Streamed s -> forEachSeq(s, seq -> {
        List<Entry> one = store.read(workspace, seq, seq + 1);
        if (one.isEmpty()) throw new IllegalStateException("the log of " + workspace + " has no seq " + seq);
        action.accept(one.getFirst());
      });
    }
  }

  private static void forEachSeq(Selection selection, SeqConsumer action) throws IOException {
    switch (selection) {
      case Range r -> {
        for (long seq = r.start(); seq < r.end(); seq++) action.accept(seq);
      }
      case Seqs s -> {
        for (long seq : s.seqs()) action.accept(seq);
      }
      case Streamed s -> {
        PrimitiveIterator.OfLong it = s.seqs().get();
        long n = 0;
        long previous = -1;
        while (it.hasNext()) {
          long seq = it.nextLong();
          if (seq <= previous || seq < s.first() || seq > s.last()) {
            throw new IllegalStateException("streamed bundle seqs must ascend within [" + s.first() + ", " + s.last() + "]: " + seq + " after " + previous);
          }
          previous = seq;
          n++;
          action.accept(seq);
        }
        if (n != s.count() || previous != s.last()) {
          throw new IllegalStateException("streamed bundle selection produced " + n + " seqs ending at " + previous + ", not " + s.count() + " ending at " + s.last());
        }
      }
    }
  }
}
