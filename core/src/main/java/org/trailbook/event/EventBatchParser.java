package org.trailbook.event;

import java.util.ArrayList;
import java.util.List;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;
import org.trailbook.TooLargeException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a request body into raw events, enforcing the body-level rules: strict UTF-8, well-formed
 * JSON without duplicate keys, the body, batch, event and depth limits. Thread-safe.
 *
 * <p>Errors: {@code body_too_large}, {@code too_many_events}, {@code event_too_large} (all {@link
 * TooLargeException}); {@code empty_body}, {@code empty_batch}, {@code invalid_utf8}, {@code
 * invalid_json}, {@code duplicate_key}, {@code too_deep}, {@code not_an_object} ({@link
 * InvalidInputException}). Messages never contain payload values.
 */
public final class EventBatchParser {
  /** How the body is framed. */
  public enum Format {
    /** {@code application/json}: one event object, or an array of event objects. */
    JSON,
    /** {@code application/x-ndjson}: one event object per non-blank line. */
    NDJSON
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_NUMBER_CHARS = 1_000;

  private final Limits limits;
  private final JsonFactory factory;

  public EventBatchParser(Limits limits) {
    this.limits = limits;
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth() + 16) // a guard; our own check comes first
                    .maxDocumentLength(limits.maxBodyBytes())
                    .maxStringLength(limits.maxBodyBytes())
                    .maxNameLength(limits.maxBodyBytes())
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .build())
            .build();
  }

  public EventBatchParser() {
    this(Limits.DEFAULTS);
  }

  /**
   * Parses a whole body. Returns at least one event; throws {@link InvalidInputException} or
   * {@link TooLargeException} otherwise, never anything else for any input bytes.
   */
  public List<RawEvent> parse(byte[] body, Format format) {
    if (body.length > limits.maxBodyBytes()) {
      throw new TooLargeException(
          "body_too_large",
          "the request body is " + body.length + " bytes; the limit is " + limits.maxBodyBytes(),
          limits.maxBodyBytes(),
          List.of(Problem.of("", "is larger than " + limits.maxBodyBytes() + " bytes")));
    }
    int bad = Utf8.firstInvalid(body, 0, body.length);
    if (bad >= 0) {
      throw new InvalidInputException(
          "invalid_utf8",
          "the request body is not valid UTF-8 (byte offset " + bad + ")",
          List.of(Problem.of("", "invalid UTF-8 at byte offset " + bad)));
    }
    int start = hasBom(body) ? 3 : 0;
    if (isBlank(body, start, body.length)) {
      throw new InvalidInputException(
          "empty_body", "the request body is empty", List.of(Problem.of("", "is empty")));
    }
    for (int i = start; i < Math.min(body.length, start + 4); i++) {
      // JSON never has a raw NUL byte; refusing one here also stops Jackson from guessing UTF-16/32
      if (body[i] == 0) throw malformed(new Where(-1, 0), null, "unexpected NUL byte at byte offset " + i + ",");
    }
    List<RawEvent> events = format == Format.NDJSON ? ndjson(body, start) : json(body, start);
    if (events.isEmpty()) {
      throw new InvalidInputException(
          "empty_batch", "the batch has no events", List.of(Problem.of("", "has no events")));
    }
    return events;
  }

  private List<RawEvent> json(byte[] body, int start) {
    List<RawEvent> events = new ArrayList<>();
    Where where = new Where(-1, 0);
    try (JsonParser p = factory.createParser(ObjectReadContext.empty(), body, start, body.length - start)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        where = new Where(0, 0);
        events.add(event(p, where));
      } else if (t == JsonToken.START_ARRAY) {
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          int index = events.size();
          where = new Where(index, 0);
          tooMany(index);
          if (t != JsonToken.START_OBJECT) throw notAnObject(where);
          events.add(event(p, where));
        }
        where = new Where(-1, 0);
      } else {
        throw notAnObject(where);
      }
      if (p.nextToken() != null) throw malformed(where, p.currentTokenLocation(), "unexpected content after the JSON value");
    } catch (StreamConstraintsException e) {
      throw malformed(where, e.getLocation(), "a value exceeds a parser limit");
    } catch (UnexpectedEndOfInputException e) {
      throw malformed(where, e.getLocation(), "unexpected end of input");
    } catch (JacksonException e) {
      throw malformed(where, e.getLocation(), "malformed JSON");
    }
    return events;
  }

  private List<RawEvent> ndjson(byte[] body, int start) {
    List<RawEvent> events = new ArrayList<>();
    int line = 0;
    int from = start;
    while (from < body.length) {
      line++;
      int nl = indexOf(body, (byte) '\n', from);
      int end = nl < 0 ? body.length : nl;
      int next = end + 1;
      if (end > from && body[end - 1] == '\r') end--;
      if (!isBlank(body, from, end)) {
        int index = events.size();
        tooMany(index);
        Where where = new Where(index, line);
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), body, from, end - from)) {
          if (p.nextToken() != JsonToken.START_OBJECT) throw notAnObject(where);
          RawEvent event = event(p, where);
          if (p.nextToken() != null) throw malformed(where, p.currentTokenLocation(), "more than one JSON value on the line");
          events.add(event);
        } catch (StreamConstraintsException e) {
          throw malformed(where, e.getLocation(), "a value exceeds a parser limit");
        } catch (UnexpectedEndOfInputException e) {
          throw malformed(where, e.getLocation(), "unexpected end of line");
        } catch (JacksonException e) {
          throw malformed(where, e.getLocation(), "malformed JSON");
        }
      }
      from = next;
    }
    return events;
  }

  /** Reads one event object; the parser is on its START_OBJECT. */
  private RawEvent event(JsonParser p, Where where) {
    long begin = p.currentTokenLocation().getByteOffset();
    ObjectNode object = readObject(p, where, FieldPath.ROOT, 1);
    long size = p.currentLocation().getByteOffset() - begin;
    if (size > limits.maxEventBytes()) {
      throw new TooLargeException(
          "event_too_large",
          "event " + where.index + " is " + size + " bytes; the limit is " + limits.maxEventBytes(),
          limits.maxEventBytes(),
          List.of(new Problem(where.index, "", "is larger than " + limits.maxEventBytes() + " bytes")));
    }
    return new RawEvent(where.index, object, (int) size);
  }

  private ObjectNode readObject(JsonParser p, Where where, FieldPath path, int depth) {
    if (depth > limits.maxDepth()) throw tooDeep(where, path);
    ObjectNode object = NODES.objectNode();
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      FieldPath child = path.child(name);
      if (object.has(name)) {
        throw new InvalidInputException(
            "duplicate_key",
            where.describe() + ": " + child + " appears twice",
            List.of(new Problem(where.index, child.toString(), "appears more than once in its object")));
      }
      object.set(name, readValue(p, p.nextToken(), where, child, depth));
    }
    return object;
  }

  private ArrayNode readArray(JsonParser p, Where where, FieldPath path, int depth) {
    if (depth > limits.maxDepth()) throw tooDeep(where, path);
    ArrayNode array = NODES.arrayNode();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      array.add(readValue(p, t, where, path.at(array.size()), depth));
    }
    return array;
  }

  private JsonNode readValue(JsonParser p, JsonToken t, Where where, FieldPath path, int depth) {
    return switch (t) {
      case START_OBJECT -> readObject(p, where, path, depth + 1);
      case START_ARRAY -> readArray(p, where, path, depth + 1);
      case VALUE_STRING -> NODES.stringNode(p.getString());
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> NODES.numberNode(p.getIntValue());
            case LONG -> NODES.numberNode(p.getLongValue());
            default -> NODES.numberNode(p.getBigIntegerValue()); // refused later, naming the field
          };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue()); // overflow gives infinity: refused later
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new IllegalStateException("unexpected token " + t);
    };
  }

  private void tooMany(int index) {
    if (index >= limits.maxEvents()) {
      throw new TooLargeException(
          "too_many_events",
          "the batch has more than " + limits.maxEvents() + " events",
          limits.maxEvents(),
          List.of(Problem.of("", "has more than " + limits.maxEvents() + " events")));
    }
  }

  private InvalidInputException tooDeep(Where where, FieldPath path) {
    String problem = "nests objects and arrays deeper than " + limits.maxDepth() + " levels";
    return new InvalidInputException(
        "too_deep",
        where.describe() + ": " + path + " " + problem,
        List.of(new Problem(where.index, path.toString(), problem)));
  }

  private static InvalidInputException notAnObject(Where where) {
    String problem =
        where.index < 0 ? "must be a JSON object or an array of JSON objects" : "must be a JSON object";
    return new InvalidInputException(
        "not_an_object", (where.index < 0 ? "the body " : where.describe() + " ") + problem,
        List.of(new Problem(where.index, "", problem)));
  }

  private static InvalidInputException malformed(Where where, TokenStreamLocation location, String what) {
    int line = where.line > 0 ? where.line : location == null ? 1 : location.getLineNr();
    int column = location == null ? 1 : location.getColumnNr();
    String problem = what + " at line " + line + ", column " + column;
    return new InvalidInputException(
        "invalid_json", "the request body is not valid JSON: " + problem,
        List.of(new Problem(where.index, "", problem)));
  }

  private static boolean hasBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
    }
    return true;
  }

  private static int indexOf(byte[] b, byte value, int from) {
    for (int i = from; i < b.length; i++) if (b[i] == value) return i;
    return -1;
  }

  /** Which event (index, or -1 for the body) and, for NDJSON, which line (from 1; 0 if not). */
  private record Where(int index, int line) {
    String describe() {
      return line > 0 ? "event " + index + " (line " + line + ")" : "event " + index;
    }
  }
}
