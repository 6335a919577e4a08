package org.trailbook.export;

import java.io.IOException;
import java.io.OutputStream;
import org.trailbook.Json;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * Writes entries in one {@link ExportFormat} as they come, holding none of them: NDJSON copies the entry bytes and a
 * newline; JSON writes an array of the same bytes (minified) or re-indents each entry through a Jackson generator
 * ({@code pretty}); CSV writes a header and one row per entry.
 */
abstract class EntryWriter {
  static EntryWriter of(ExportFormat format, boolean pretty, CsvColumns columns, OutputStream out) {
    return switch (format) {
      case NDJSON -> new EntryWriter() {
        @Override
        void entry(byte[] bytes) throws IOException {
          out.write(bytes);
          out.write('\n');
        }
      };
      case JSON -> pretty ? new PrettyJson(out) : new MinifiedJson(out);
      case CSV -> new Csv(out, columns);
    };
  }

  void begin() throws IOException {}

  abstract void entry(byte[] bytes) throws IOException;

  void end() throws IOException {}

  private static final class MinifiedJson extends EntryWriter {
    private final OutputStream out;
    private boolean first = true;

    MinifiedJson(OutputStream out) {
      this.out = out;
    }

    @Override
    void begin() throws IOException {
      out.write('[');
    }

    @Override
    void entry(byte[] bytes) throws IOException {
      if (!first) out.write(',');
      first = false;
      out.write(bytes);
    }

    @Override
    void end() throws IOException {
      out.write(']');
      out.write('\n');
    }
  }

  private static final class PrettyJson extends EntryWriter {
    private final OutputStream out;
    private JsonGenerator gen;

    PrettyJson(OutputStream out) {
      this.out = out;
    }

    @Override
    void begin() {
      DefaultIndenter indent = new DefaultIndenter("  ", "\n");
      gen = Json.MAPPER.writer().with(new DefaultPrettyPrinter().withArrayIndenter(indent).withObjectIndenter(indent)).createGenerator(out);
      gen.writeStartArray();
    }

    @Override
    void entry(byte[] bytes) {
      gen.writeTree(Json.MAPPER.readTree(bytes));
    }

    @Override
    void end() throws IOException {
      gen.writeEndArray();
      gen.flush();
      out.write('\n');
    }
  }

  private static final class Csv extends EntryWriter {
    private final CsvWriter csv;
    private final CsvColumns columns;

    Csv(OutputStream out, CsvColumns columns) {
      this.csv = new CsvWriter(out);
      this.columns = columns;
    }

    @Override
    void begin() throws IOException {
      csv.header(columns.paths());
    }

    @Override
    void entry(byte[] bytes) throws IOException {
      csv.row(columns.cells(Json.MAPPER.readTree(bytes)));
    }
  }
}
