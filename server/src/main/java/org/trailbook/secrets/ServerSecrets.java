package org.trailbook.secrets;

import java.util.function.Supplier;

/**
 * The server's own secrets that every node must share: the log's signer key (unless {@code
 * TRAILBOOK_LOG_KEY} gives it) and the secret that signs viewer tokens and page sessions. The
 * embedded store keeps each in an owner-only file under {@code DIR/keys}; the PostgreSQL store in
 * one table, so every node of a cluster signs and checks with the same ones.
 */
public interface ServerSecrets {
  /**
   * The secret named {@code name} (a file name such as {@code log.key}), made by {@code create} on
   * first use. When several nodes create it at once, the first one stored wins and every caller gets it.
   */
  String getOrCreate(String name, Supplier<String> create);
}
