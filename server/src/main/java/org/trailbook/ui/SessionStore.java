package org.trailbook.ui;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Page sessions and used sign-in links (viewer-token ids): a session stands only while the store
 * has it unexpired and not ended, and a token id stays used until the token expires, so a link
 * works once, across restarts and across nodes sharing a store. Secrets are kept only as their
 * SHA-256. {@link FileSessionStore} is the embedded default; {@code PostgresSessionStore} is shared
 * by several nodes.
 */
public interface SessionStore extends AutoCloseable {
  /** Why a session ended early. */
  enum EndReason {
    SIGNED_OUT, KEY_REVOKED, ENDED_BY_ADMIN;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A session that was ended, and why: what end listeners are told. */
  record Ended(PageSession session, EndReason reason) {}

  /** A new session and its secret, which goes into the cookie and is never stored. */
  record Opened(PageSession session, String secret) {}

  /**
   * Marks a verified token used, durably, until it expires; refuses it ({@link ViewerTokens.RejectedException},
   * {@code ALREADY_USED}) if it was used before, by this process, an earlier one or another node.
   */
  void redeem(ViewerSession token);

  /** Opens a session for the person of a redeemed token, lasting {@link ViewerTokens#SESSION_TTL}. */
  Opened start(ViewerSession token);

  /** The live session with this id whose secret is {@code secret}; notes that it was seen (coarsely, without a write each time). */
  Optional<PageSession> find(String id, String secret);

  /** The session with this id if it is still live (not ended, not expired). */
  Optional<PageSession> live(String id);

  /** The live sessions of a workspace, oldest first (in the order they were opened). */
  List<PageSession> list(String workspace);

  /** Ends a live session of {@code workspace} at once; empty if there is none with this id there. */
  Optional<PageSession> end(String workspace, String id, EndReason reason);

  /** Ends every live session opened with a token the key {@code keyId} minted. */
  List<PageSession> endMintedBy(String keyId, EndReason reason);

  /**
   * Calls {@code listener} with every session ended early (sign-out, key revocation, an admin),
   * after the store no longer accepts it and outside its locks: for closing what the session
   * opened, such as live streams. A store shared by nodes tells every node's listeners. Expiry is
   * not announced: a re-check ({@link #live}) sees it.
   */
  void addEndListener(Consumer<Ended> listener);

  /** Seconds since the epoch, by this store's clock. */
  long now();

  /** Stops whatever the store runs in the background; the file store runs nothing. */
  @Override
  default void close() {}

  /** The file store in {@code dir} (the embedded default). */
  static SessionStore open(Path dir, Clock clock) {
    return FileSessionStore.open(dir, clock);
  }

  /** A new session for a redeemed token, opened at {@code now}, with a fresh random id and secret. */
  static Opened newSession(ViewerSession token, long now) {
    SecureRandom random = new SecureRandom();
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    byte[] idBytes = new byte[12];
    random.nextBytes(idBytes);
    PageSession s = new PageSession("ses_" + HexFormat.of().formatHex(idBytes), token.workspace(), token.person(), token.role(),
        now, now + ViewerTokens.SESSION_TTL.toSeconds(), token.mintedBy(), now);
    return new Opened(s, secret);
  }

  /** The SHA-256 (hex) of a session secret: all a store keeps of it. */
  static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The refusal of a sign-in link whose token id was redeemed before. */
  static ViewerTokens.RejectedException alreadyUsed() {
    return new ViewerTokens.RejectedException(ViewerTokens.Failure.ALREADY_USED, "this sign-in link was already used");
  }

  /** True when {@code secret} hashes to {@code storedHash}, compared in constant time. */
  static boolean secretMatches(String secret, String storedHash) {
    return MessageDigest.isEqual(sha256(secret).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
