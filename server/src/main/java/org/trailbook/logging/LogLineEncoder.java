package org.trailbook.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * The encoder of {@code logback.xml}: writes each event in the configured {@link LogFormat} ({@code <format>}, from
 * {@code TRAILBOOK_LOG_FORMAT}), as text with {@code <pattern>} or as one {@link JsonLogLine}.
 *
 * <p>One encoder that switches, rather than two appenders of which the configuration picks one by name: Logback
 * warns about an appender that is defined but not used, and any warning makes it print its whole configuration status
 * at every start. And Logback's {@code <if>} needs Janino, a compiler on the class path, for one choice.
 *
 * <p>Text is for people, so a stack trace stays a stack trace, but no message can forge a log line either: every line
 * after an event's first starts with a tab (Java's stack frames do already; a line break in a message, an exception
 * message or a "Caused by" gets one). So a line that does not start with a tab always starts a real event.
 */
public final class LogLineEncoder extends EncoderBase<ILoggingEvent> {
  private String format = "text";
  private String pattern = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";
  private LogFormat chosen;
  private PatternLayout layout;

  /** {@code text} or {@code json} (see {@link LogFormat#parse}). */
  public void setFormat(String format) {
    this.format = format;
  }

  /** The text format's Logback pattern. */
  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    try {
      chosen = LogFormat.parse(format);
    } catch (IllegalArgumentException e) {
      addError(e.getMessage()); // Main refuses to start with it already; this is for anyone who embeds the jar
      return;
    }
    if (chosen == LogFormat.TEXT) {
      layout = new PatternLayout();
      layout.setContext(getContext());
      layout.setPattern(pattern);
      layout.start();
    }
    super.start();
  }

  @Override
  public void stop() {
    if (layout != null) layout.stop();
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = chosen == LogFormat.JSON ? JsonLogLine.format(event) : continuationsIndented(layout.doLayout(event));
    return line.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  /**
   * Every line break but the last gets a tab after it unless one follows already. A line break is whatever some tool
   * splits lines on: LF, CR (alone or before LF), VT, FF, NEL, U+2028 and U+2029.
   */
  static String continuationsIndented(String s) {
    int last = s.length() - 1;
    int first = -1;
    for (int i = 0; i < last; i++) {
      if (isBreak(s.charAt(i))) {
        first = i;
        break;
      }
    }
    if (first < 0) return s; // the usual case: one line, nothing to copy
    StringBuilder b = new StringBuilder(s.length() + 64).append(s, 0, first);
    for (int i = first; i <= last; i++) {
      char c = s.charAt(i);
      b.append(c);
      boolean crlf = c == '\r' && i < last && s.charAt(i + 1) == '\n';
      if (isBreak(c) && !crlf && i < last && s.charAt(i + 1) != '\t') b.append('\t');
    }
    return b.toString();
  }

  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u000b' || c == '\f' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }
}
