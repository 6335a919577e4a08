package org.trailbook.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The end listeners of a {@link SessionStore}: each is told of each ended session; one that fails does not stop the others. */
public final class EndListeners {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EndListeners.class);
  private final List<Consumer<SessionStore.Ended>> listeners = new CopyOnWriteArrayList<>();

  public void add(Consumer<SessionStore.Ended> listener) {
    listeners.add(listener);
  }

  /** Tells every listener of every session in {@code ended}; call it outside any lock. */
  public void fire(List<PageSession> ended, SessionStore.EndReason reason) {
    for (PageSession s : ended) {
      for (Consumer<SessionStore.Ended> l : listeners) {
        try {
          l.accept(new SessionStore.Ended(s, reason));
        } catch (RuntimeException e) {
          log.warn("a session-end listener failed for session {}", s.id(), e);
        }
      }
    }
  }
}
