package org.trailbook.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.trailbook.InvalidInputException;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.verify.BundleWriter;

/** Writing an export's content (moved out of {@link Exports}, which runs downloads and jobs): plain entries, or a verification bundle. */
final class ExportWriting {
  private ExportWriting() {}

  /** The entries as NDJSON, JSON or CSV, redacted as asked, a page at a time; {@code done} counts them. */
  static void plain(ExportRequest r, ExportScan scan, OutputStream out, AtomicLong done, Runnable stop) throws IOException {
    UnaryOperator<byte[]> redact = r.redaction().operator();
    EntryWriter w = EntryWriter.of(r.format(), r.pretty(), r.columns(), out);
    w.begin();
    scan.forEach(e -> {
      w.entry(redact == null ? e.canonical() : redact.apply(e.canonical()));
      done.incrementAndGet();
    }, stop);
    w.end();
  }

  /**
   * The verification bundle: the whole range when unfiltered and nothing was purged, else the seqs the scan gives
   * (matching, or retained; streamed, never collected) with one inclusion proof each; CSV and JSON go in beside it as {@code export.csv} / {@code export.json}.
   */
  static void bundle(LogIntegrity integrity, ExportJob job, ExportScan scan, long count, OutputStream out, AtomicLong done, Runnable stop) {
    if (count == 0) throw new InvalidInputException("empty_export", "no entries match the filters, and a verification bundle needs at least one");
    ExportRequest r = job.request();
    BundleWriter.Selection selection;
    if (scan.wholeRange()) {
      selection = new BundleWriter.Range(0, scan.end());
    } else {
      long first = -1;
      long last = -1;
      long n = 0;
      for (PrimitiveIterator.OfLong it = scan.seqs(stop); it.hasNext(); n++) {
        long seq = it.nextLong();
        if (first < 0) first = seq;
        last = seq;
      }
      boolean[] entriesPass = {true};
      selection = new BundleWriter.Streamed(n, first, last, () -> {
        PrimitiveIterator.OfLong it = scan.seqs(stop);
        boolean counting = entriesPass[0];
        entriesPass[0] = false;
        return new PrimitiveIterator.OfLong() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public long nextLong() {
            if (counting) done.incrementAndGet();
            return it.nextLong();
          }
        };
      });
    }
    List<BundleWriter.Extra> extras = r.format() == ExportFormat.NDJSON ? List.of()
        : List.of(new BundleWriter.Extra("export." + r.format().wireName(), o -> plain(r, scan, o, new AtomicLong(), stop)));
    integrity.writeBundle(job.workspace(), selection, r.redaction().operator(), extras, out);
  }

  /** Counts the bytes written through it. */
  static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
