package org.trailbook.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.trailbook.AtomicFiles;

/**
 * Page sessions and used sign-in links of the embedded server, kept in {@code DIR/sessions/sessions.json}
 * so both survive a restart: a session stands only while it is here and unexpired, and a viewer
 * token's id stays here until the token expires, so a link works once even across restarts.
 * Secrets never reach the disk: a session is stored with the SHA-256 of its secret. Every change
 * is in memory at once and on disk (temp file, fsync, rename; expired entries pruned) before the
 * call returns; concurrent changes share one write. The file holds only what has not expired: at
 * most the sign-ins of the last {@link ViewerTokens#MAX_TTL} and sessions of {@link ViewerTokens#SESSION_TTL}.
 */
public final class FileSessionStore implements SessionStore {
  static final String FILE = "sessions.json";
  private static final long SEEN_GRANULARITY_SECONDS = 60;

  private final Path file;
  private final Clock clock;
  private final Map<String, SessionFile.Stored> sessions = new LinkedHashMap<>();
  private final Map<String, Long> usedTokens = new HashMap<>();
  private final EndListeners endListeners = new EndListeners();
  private final Object writeLock = new Object();
  private long version; // guarded by this: bumped by every change
  private long written; // guarded by writeLock: the version on disk

  private FileSessionStore(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Opens (or creates) the store in {@code dir}; refuses a file of another format or version. */
  public static FileSessionStore open(Path dir, Clock clock) {
    FileSessionStore s = new FileSessionStore(dir.resolve(FILE), clock);
    try {
      org.trailbook.OwnerOnly.directories(dir);
      if (Files.exists(s.file)) {
        SessionFile.Content c = SessionFile.decode(Files.readAllBytes(s.file), s.file);
        for (SessionFile.Stored st : c.sessions()) s.sessions.put(st.session().id(), st);
        s.usedTokens.putAll(c.usedTokens());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + s.file, e);
    }
    return s;
  }

  /**
   * Marks a verified token used, durably, until it expires; refuses it if it was used before
   * (by this process or an earlier one).
   */
  @Override
  public void redeem(ViewerSession token) {
    long v;
    synchronized (this) {
      if (usedTokens.putIfAbsent(token.id(), token.expiresAt()) != null) {
        throw SessionStore.alreadyUsed();
      }
      v = ++version;
    }
    persist(v);
  }

  /** Opens a session for the person of a redeemed token, lasting {@link ViewerTokens#SESSION_TTL}. */
  @Override
  public Opened start(ViewerSession token) {
    Opened o = SessionStore.newSession(token, now());
    PageSession s = o.session();
    String secret = o.secret();
    long v;
    synchronized (this) {
      sessions.put(s.id(), new SessionFile.Stored(s, SessionStore.sha256(secret)));
      v = ++version;
    }
    persist(v);
    return o;
  }

  /** The live session with this id whose secret is {@code secret}; notes (in memory) that it was seen. */
  @Override
  public Optional<PageSession> find(String id, String secret) {
    byte[] given = SessionStore.sha256(secret).getBytes(StandardCharsets.US_ASCII);
    long now = now();
    synchronized (this) {
      SessionFile.Stored st = sessions.get(id);
      if (st == null || st.session().expiresAt() <= now || !MessageDigest.isEqual(given, st.secretHash().getBytes(StandardCharsets.US_ASCII))) {
        return Optional.empty();
      }
      if (now - st.session().lastSeenAt() >= SEEN_GRANULARITY_SECONDS) {
        st = new SessionFile.Stored(st.session().seenAt(now), st.secretHash());
        sessions.put(id, st); // written with the next change: a last-seen time is worth no fsync
      }
      return Optional.of(st.session());
    }
  }

  /** The session with this id if it is still live (not ended, not expired). */
  @Override
  public synchronized Optional<PageSession> live(String id) {
    SessionFile.Stored st = id == null ? null : sessions.get(id);
    return st == null || st.session().expiresAt() <= now() ? Optional.empty() : Optional.of(st.session());
  }

  /** The live sessions of a workspace, oldest first (in the order they were opened). */
  @Override
  public synchronized List<PageSession> list(String workspace) {
    long now = now();
    return sessions.values().stream().map(SessionFile.Stored::session).filter(s -> s.workspace().equals(workspace) && s.expiresAt() > now)
        .sorted(Comparator.comparingLong(PageSession::createdAt)).toList(); // stable: ties keep the order of opening
  }

  /** Ends a live session of {@code workspace} at once; empty if there is none with this id there. */
  @Override
  public Optional<PageSession> end(String workspace, String id, EndReason reason) {
    List<PageSession> ended = endWhere(s -> s.id().equals(id) && s.workspace().equals(workspace), reason);
    return ended.stream().findFirst();
  }

  /** Ends every live session opened with a token the key {@code keyId} minted. */
  @Override
  public List<PageSession> endMintedBy(String keyId, EndReason reason) {
    return endWhere(s -> s.mintedBy().equals(keyId), reason);
  }

  @Override
  public void addEndListener(Consumer<Ended> listener) {
    endListeners.add(listener);
  }

  @Override
  public long now() {
    return clock.instant().getEpochSecond();
  }

  private List<PageSession> endWhere(java.util.function.Predicate<PageSession> which, EndReason reason) {
    List<PageSession> ended = new ArrayList<>();
    long v;
    synchronized (this) {
      long now = now();
      for (var it = sessions.values().iterator(); it.hasNext(); ) {
        PageSession s = it.next().session();
        if (s.expiresAt() > now && which.test(s)) {
          ended.add(s);
          it.remove();
        }
      }
      if (ended.isEmpty()) return ended;
      v = ++version;
    }
    try {
      persist(v);
    } finally {
      endListeners.fire(ended, reason);
    }
    return ended;
  }

  /** Writes the state as of at least version {@code v}; a writer that finds it written already returns. */
  private void persist(long v) {
    synchronized (writeLock) {
      if (written >= v) return;
      byte[] bytes;
      long snapshot;
      synchronized (this) {
        long now = now();
        sessions.values().removeIf(st -> st.session().expiresAt() <= now);
        usedTokens.values().removeIf(exp -> exp <= now);
        snapshot = version;
        bytes = SessionFile.encode(sessions.values(), usedTokens);
      }
      try {
        AtomicFiles.replace(file, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      written = snapshot;
    }
  }
}
