package org.trailbook.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One log event as one JSON object on one line:
 * {@code {"time","level","logger","thread","message","request_id","error","stack"}} — {@code request_id} when the
 * event was logged while an HTTP request was handled, {@code error} ({@code "class: message"}) and {@code stack} (the
 * whole trace with its causes, one string) when it carries an exception.
 *
 * <p>Why not Logback's own {@code JsonEncoder}: its time is epoch milliseconds, the request id sits in an {@code mdc}
 * object, the stack is an array of frame objects (hundreds of fields for one Jetty trace), and every line repeats the
 * logger context. Log collectors (Loki, Elastic, CloudWatch, {@code jq}) want flat, named fields and one searchable
 * stack string; this is that, in a few lines and no dependency.
 */
final class JsonLogLine {
  /** The MDC key of the request id (set by {@code http.RequestIds} for the duration of a request). */
  static final String REQUEST_ID = "request_id";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JsonLogLine() {}

  /** The event as a JSON object and a {@code \n}: every line break inside a value is escaped, so it is one line. */
  static String format(ILoggingEvent e) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"time\":\"").append(TIME.format(e.getInstant())).append('"');
    field(b, "level", e.getLevel().toString());
    field(b, "logger", e.getLoggerName());
    field(b, "thread", e.getThreadName());
    field(b, "message", e.getFormattedMessage());
    String requestId = e.getMDCPropertyMap().get(REQUEST_ID);
    if (requestId != null) field(b, "request_id", requestId);
    IThrowableProxy t = e.getThrowableProxy();
    if (t != null) {
      field(b, "error", t.getMessage() == null ? t.getClassName() : t.getClassName() + ": " + t.getMessage());
      field(b, "stack", ThrowableProxyUtil.asString(t));
    }
    return b.append("}\n").toString();
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":");
    if (value == null) {
      b.append("null");
      return;
    }
    b.append('"');
    escape(b, value);
    b.append('"');
  }

  /**
   * JSON string escaping (RFC 8259), plus every C1 control (U+0085 NEL among them) and U+2028/U+2029, which some log
   * viewers and JavaScript treat as line breaks: nothing in a value can start another line.
   */
  static void escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            b.append("\\u").append(String.format("%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
  }
}
