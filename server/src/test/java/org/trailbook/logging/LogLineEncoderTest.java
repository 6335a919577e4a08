package org.trailbook.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

/**
 * The encoder as {@code logback.xml} configures it: in JSON an event is exactly one line whatever its message and
 * exception hold; in text no message can start a line that looks like another event.
 */
class LogLineEncoderTest {
  /** A message and an exception that try to forge a second event, with every kind of line break. */
  private static final String FORGED = "user said: \"hi\"\n12:00:00.000 ERROR o.t.Forged - {\"level\":\"ERROR\"}\r\nCR\rVT\u000bFF\fNEL\u0085LS\u2028PS\u2029end\\";

  @Test
  void jsonIsOneLinePerEventWithTheFields() throws Exception {
    LogLineEncoder encoder = configured("json");
    LoggingEvent event = event(encoder, FORGED, new IllegalStateException("bad\nthing", new java.io.IOException("disk")), "4f1c2a9e0b7d3e65");
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("}\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r", "\u000b", "\f", "\u0085", "\u2028", "\u2029");
    JsonNode o = Json.MAPPER.readTree(line);
    assertThat(o.get("time").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(java.time.Instant.parse(o.get("time").asString())).isEqualTo(event.getInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(o.get("level").asString()).isEqualTo("ERROR");
    assertThat(o.get("logger").asString()).isEqualTo("org.trailbook.Test");
    assertThat(o.get("thread").asString()).isEqualTo(Thread.currentThread().getName());
    assertThat(o.get("message").asString()).isEqualTo(FORGED);
    assertThat(o.get("request_id").asString()).isEqualTo("4f1c2a9e0b7d3e65");
    assertThat(o.get("error").asString()).isEqualTo("java.lang.IllegalStateException: bad\nthing");
    assertThat(o.get("stack").asString()).startsWith("java.lang.IllegalStateException: bad\nthing\n\tat ")
        .contains("Caused by: java.io.IOException: disk").contains(getClass().getName());
  }

  @Test
  void jsonLeavesOutWhatAnEventDoesNotHave() throws Exception {
    LogLineEncoder encoder = configured("json");
    JsonNode o = Json.MAPPER.readTree(encoder.encode(event(encoder, "plain", null, null)));
    assertThat(o.propertyNames()).containsExactly("time", "level", "logger", "thread", "message");
  }

  @Test
  void textKeepsTracesReadableButEveryContinuationLineStartsWithATab() throws Exception {
    LogLineEncoder encoder = configured("text");
    LoggingEvent event = event(encoder, FORGED, new IllegalStateException("bad\n12:00:00.000 INFO forged"), "4f1c2a9e0b7d3e65");
    String text = new String(encoder.encode(event), StandardCharsets.UTF_8);

    String[] lines = text.split("\r\n|[\r\n\u000b\f\u0085\u2028\u2029]", -1);
    assertThat(lines[0]).matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} ERROR org.trailbook.Test \\[4f1c2a9e0b7d3e65] - user said: \"hi\"");
    assertThat(lines[lines.length - 1]).isEmpty(); // the event ends with its line break
    assertThat(lines).hasSizeGreaterThan(8);
    for (int i = 1; i < lines.length - 1; i++) assertThat(lines[i]).as("line %d of %s", i, text).startsWith("\t");
    // without a request the brackets are left out
    assertThat(new String(encoder.encode(event(encoder, "plain", null, null)), StandardCharsets.UTF_8)).matches("\\S+ ERROR org.trailbook.Test - plain\n");
  }

  @Test
  void anUnknownFormatIsRefusedWithTheVariableAndTheAllowedValues() {
    assertThat(LogFormat.parse(null)).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.parse(" JSON ")).isEqualTo(LogFormat.JSON);
    assertThatThrownBy(() -> LogFormat.parse("yaml\nforged")).hasMessage("TRAILBOOK_LOG_FORMAT must be 'text' or 'json', not 'yaml?forged'");
    assertThat(LogFormat.problem(Map.of("TRAILBOOK_LOG_FORMAT", "xml"))).contains("TRAILBOOK_LOG_FORMAT", "'text' or 'json'", "'xml'");
    assertThat(LogFormat.problem(Map.of("TRAILBOOK_LOG_FORMAT", "json"))).isNull();
  }

  /** The encoder of the real {@code logback.xml}, in a context of its own, with the format as the setting would give it. */
  private static LogLineEncoder configured(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    context.putProperty(LogFormat.VARIABLE, format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogLineEncoderTest.class.getResource("/logback.xml"));
    OutputStreamAppender<?> appender = (OutputStreamAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    LogLineEncoder encoder = (LogLineEncoder) appender.getEncoder();
    assertThat(encoder.isStarted()).isTrue();
    return encoder;
  }

  /** An ERROR event as a logger makes it, logged under {@code requestId} (null: outside a request). */
  private static LoggingEvent event(LogLineEncoder encoder, String message, Throwable t, String requestId) {
    Logger logger = ((LoggerContext) encoder.getContext()).getLogger("org.trailbook.Test");
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, message, t, null);
    e.setMDCPropertyMap(requestId == null ? Map.of() : Map.of("request_id", requestId)); // not the test thread's MDC
    return e;
  }
}
