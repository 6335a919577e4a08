package org.trailbook.ui;

import org.trailbook.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The server's secret for signing viewer tokens and session cookies: 32 random bytes created on
 * the first start in {@code DIR/keys/viewer-token.key}, readable by the owner only, never printed.
 */
public final class ViewerSecret {
  static final String FILE = "viewer-token.key";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private ViewerSecret() {}

  /** The secret kept by {@code secrets} (a file in {@code DIR/keys}, or a row every node shares), created on first use. */
  public static byte[] load(org.trailbook.secrets.ServerSecrets secrets) {
    String stored = secrets.getOrCreate(FILE, () -> {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      return Base64.getEncoder().encodeToString(secret);
    });
    byte[] secret = Base64.getDecoder().decode(stored);
    if (secret.length < 32) throw new IllegalStateException("the viewer-token secret holds " + secret.length + " bytes; at least 32 are needed");
    return secret;
  }

  /** Reads the secret in {@code keysDir}, creating it (atomically, owner-only) if it is missing. */
  public static byte[] loadOrCreate(Path keysDir) {
    return load(new org.trailbook.secrets.FileServerSecrets(keysDir));
  }
}
