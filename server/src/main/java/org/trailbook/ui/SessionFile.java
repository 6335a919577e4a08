package org.trailbook.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.trailbook.Json;
import org.trailbook.TrailbookException;
import org.trailbook.access.Person;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The on-disk form of the {@link SessionStore}: {@code {"format":"trailbook.sessions","version":1,
 * "sessions":[…],"used_tokens":[{"jti","expires_at"}]}}. A session is stored with the SHA-256 of its
 * secret, never the secret. The header is checked on open: another format or version is refused.
 */
final class SessionFile {
  static final org.trailbook.JsonFileFormat FORMAT = new org.trailbook.JsonFileFormat("trailbook.sessions", 1);

  /** A session and the SHA-256 (hex) of its secret. */
  record Stored(PageSession session, String secretHash) {}

  /** What the file holds. */
  record Content(List<Stored> sessions, Map<String, Long> usedTokens) {}

  private SessionFile() {}

  static byte[] encode(Collection<Stored> sessions, Map<String, Long> usedTokens) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("sessions");
    for (Stored st : sessions) {
      PageSession s = st.session();
      ObjectNode o = list.addObject().put("id", s.id()).put("secret_sha256", st.secretHash()).put("workspace", s.workspace());
      ObjectNode p = o.putObject("person").put("id", s.person().id());
      if (s.person().email() != null) p.put("email", s.person().email());
      if (s.person().name() != null) p.put("name", s.person().name());
      o.put("role", s.role().wireName()).put("created_at", s.createdAt()).put("expires_at", s.expiresAt())
          .put("minted_by", s.mintedBy()).put("last_seen_at", s.lastSeenAt());
    }
    ArrayNode used = root.putArray("used_tokens");
    usedTokens.forEach((jti, exp) -> used.addObject().put("jti", jti).put("expires_at", exp));
    return Json.MAPPER.writeValueAsBytes(FORMAT.stamp(root));
  }

  static Content decode(byte[] bytes, Path file) {
    try {
      org.trailbook.JsonFileFormat.Read read = FORMAT.read(file, bytes); // a newer version is refused, naming it
      if (read.version() == 0) {
        // sessions were never stored without a header: this is some other file
        throw new TrailbookException(file + " is not a " + FORMAT.name() + " file; refusing to start rather than forget sessions and used sign-in links");
      }
      JsonNode root = read.body();
      List<Stored> sessions = new ArrayList<>();
      for (JsonNode o : root.path("sessions")) {
        JsonNode p = o.path("person");
        Role role = Role.parse(o.path("role").asString(""));
        if (role == null) throw new TrailbookException(file + ": session " + o.path("id").asString("?") + " has an unknown role");
        PageSession s = new PageSession(o.path("id").asString(), o.path("workspace").asString(),
            new Person(p.path("id").asString(), p.path("email").asString(null), p.path("name").asString(null)), role,
            o.path("created_at").asLong(), o.path("expires_at").asLong(), o.path("minted_by").asString(), o.path("last_seen_at").asLong());
        sessions.add(new Stored(s, o.path("secret_sha256").asString()));
      }
      Map<String, Long> used = new HashMap<>();
      for (JsonNode u : root.path("used_tokens")) used.put(u.path("jti").asString(), u.path("expires_at").asLong());
      return new Content(sessions, used);
    } catch (JacksonException e) {
      throw new TrailbookException(file + " is not readable JSON: " + e.getOriginalMessage());
    }
  }
}
