package org.trailbook.search;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stats classes of an event, computed once at index time into the {@link Fields#KIND} doc value:
 *
 * <ul>
 *   <li>{@link #AUTH}: {@code type} is {@code auth};
 *   <li>{@link #SIGN_IN}: {@code action} is {@code auth.login}, {@code auth.sign_in} or {@code auth.signed_in};
 *   <li>{@link #WRITE}: not a sign-in, not of type auth, and the action's last dotted segment is a write verb (the
 *       configurable list, default {@link #DEFAULT_WRITE_VERBS}) or the event carries {@code changes}.
 * </ul>
 */
public record EventClassifier(Set<String> writeVerbs) {
  public static final int AUTH = 1;
  public static final int SIGN_IN = 2;
  public static final int WRITE = 4;
  public static final Set<String> SIGN_IN_ACTIONS = Set.of("auth.login", "auth.sign_in", "auth.signed_in");
  public static final List<String> DEFAULT_WRITE_VERBS = List.of(
      "created", "updated", "deleted", "assigned", "replied", "resolved", "reopened", "snoozed", "merged", "launched",
      "paused", "cancelled", "revoked", "invited", "removed", "role_changed", "connected", "disconnected", "deployed");

  public EventClassifier {
    writeVerbs = Set.copyOf(writeVerbs);
  }

  public static EventClassifier defaults() {
    return new EventClassifier(Set.copyOf(DEFAULT_WRITE_VERBS));
  }

  /** From a comma-separated list such as {@code TRAILBOOK_WRITE_VERBS}; blank means the defaults. */
  public static EventClassifier fromConfig(String verbs) {
    if (verbs == null || verbs.isBlank()) return defaults();
    Set<String> set = new TreeSet<>();
    for (String v : verbs.split(",")) if (!v.isBlank()) set.add(v.strip());
    return new EventClassifier(set);
  }

  public int classify(String type, String action, boolean hasChanges) {
    int kind = 0;
    if ("auth".equals(type)) kind |= AUTH;
    if (SIGN_IN_ACTIONS.contains(action)) {
      kind |= SIGN_IN;
    } else if ((kind & AUTH) == 0) {
      String last = action.substring(action.lastIndexOf('.') + 1);
      if (hasChanges || writeVerbs.contains(last)) kind |= WRITE;
    }
    return kind;
  }

  /** A fingerprint of the rules, kept with the index so a changed list rebuilds it. */
  String fingerprint() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(String.join(",", new TreeSet<>(writeVerbs)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
