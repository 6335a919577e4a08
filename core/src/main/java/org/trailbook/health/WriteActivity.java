package org.trailbook.health;

/**
 * Whether writes are coming now: touched by every client's write request (and, in the journal, every group commit),
 * busy for {@value #WINDOW_MILLIS} ms after the last touch. What {@link BackgroundPace} asks before it pauses background
 * work.
 */
public final class WriteActivity {
  static final long WINDOW_MILLIS = 250;
  private volatile long last = System.nanoTime() - WINDOW_MILLIS * 2_000_000;

  /** An acknowledgement now. */
  public void touch() {
    last = System.nanoTime();
  }

  /** Whether the last acknowledgement was within the window. */
  public boolean busy() {
    return System.nanoTime() - last < WINDOW_MILLIS * 1_000_000;
  }
}
