package org.trailbook.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;

/** Where a page ended: the {@code (time, seq)} of its last event, opaque to clients. */
public record Cursor(long time, long seq) {
  private static final String VERSION = "c1";

  public String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + ":" + time + ":" + seq).getBytes(StandardCharsets.UTF_8));
  }

  public static Cursor decode(String text) {
    try {
      if (text.length() <= 100) {
        String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":", -1);
        if (parts.length == 3 && parts[0].equals(VERSION)) {
          long seq = Long.parseLong(parts[2]);
          if (seq >= 0) return new Cursor(Long.parseLong(parts[1]), seq);
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new InvalidInputException("invalid_parameter", "invalid query parameter 'cursor'",
        List.of(Problem.of("cursor", "must be a next_cursor value returned by this endpoint")));
  }
}
