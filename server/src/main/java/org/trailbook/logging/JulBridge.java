package org.trailbook.logging;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code java.util.logging} records (Lucene logs through it) to SLF4J, so they are written like every other log
 * event — one line, JSON when asked — instead of as the JDK console handler's two-line text. The levels come from
 * Logback ({@code LevelChangePropagator} in {@code logback.xml}), so a record below the level costs nothing.
 *
 * <p>A small handler of our own rather than the {@code jul-to-slf4j} artifact: one class, no dependency.
 */
public final class JulBridge extends Handler {
  private static final SimpleFormatter MESSAGES = new SimpleFormatter();

  private JulBridge() {}

  /** Replaces the handlers of the root {@code java.util.logging} logger with this bridge; call once, at start. */
  public static void install() {
    LogManager.getLogManager().reset();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    JulBridge bridge = new JulBridge();
    bridge.setLevel(Level.ALL);
    root.addHandler(bridge);
    LoggerFactory.getLogger(JulBridge.class); // starts Logback, whose level propagator sets the JUL levels
  }

  @Override
  public void publish(LogRecord r) {
    if (r == null) return;
    Logger log = LoggerFactory.getLogger(r.getLoggerName() == null ? "jul" : r.getLoggerName());
    String message = MESSAGES.formatMessage(r);
    Throwable t = r.getThrown();
    int level = r.getLevel().intValue();
    if (level >= Level.SEVERE.intValue()) log.error(message, t);
    else if (level >= Level.WARNING.intValue()) log.warn(message, t);
    else if (level >= Level.INFO.intValue()) log.info(message, t);
    else if (level >= Level.FINE.intValue()) log.debug(message, t);
    else log.trace(message, t);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
