package org.trailbook.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The default {@code summary}: one readable line built from the actor, the last segment of the
 * action as a verb phrase, and the resource, e.g. {@code Riley Park updated campaign "Summer Sale"}.
 * Works on a normalized, redacted event.
 */
final class SummaryGenerator {
  static final int MAX_CHARS = 1_000;

  /** Whole last segments with a fixed phrase; the resource, if any, follows after "to", "of" or "for". */
  private static final Map<String, String> PHRASES =
      Map.ofEntries(
          Map.entry("login", "signed in"), Map.entry("log_in", "signed in"),
          Map.entry("logged_in", "signed in"), Map.entry("signin", "signed in"),
          Map.entry("sign_in", "signed in"), Map.entry("signed_in", "signed in"),
          Map.entry("logout", "signed out"), Map.entry("log_out", "signed out"),
          Map.entry("logged_out", "signed out"), Map.entry("signout", "signed out"),
          Map.entry("sign_out", "signed out"), Map.entry("signed_out", "signed out"),
          Map.entry("signup", "signed up"), Map.entry("sign_up", "signed up"),
          Map.entry("signed_up", "signed up"));

  /** Base verbs and their past tense (regular ones are derived). */
  private static final Map<String, String> IRREGULAR =
      Map.ofEntries(
          Map.entry("run", "ran"), Map.entry("send", "sent"), Map.entry("pay", "paid"),
          Map.entry("set", "set"), Map.entry("reset", "reset"), Map.entry("build", "built"),
          Map.entry("make", "made"), Map.entry("read", "read"), Map.entry("begin", "began"),
          Map.entry("stop", "stopped"), Map.entry("ship", "shipped"), Map.entry("drop", "dropped"),
          Map.entry("submit", "submitted"), Map.entry("write", "wrote"), Map.entry("get", "got"),
          Map.entry("put", "put"), Map.entry("sell", "sold"), Map.entry("buy", "bought"),
          Map.entry("do", "did"), Map.entry("undo", "undid"), Map.entry("give", "gave"),
          Map.entry("take", "took"), Map.entry("choose", "chose"), Map.entry("show", "showed"));

  private static final Set<String> PAST =
      Set.of("sent", "ran", "paid", "set", "reset", "built", "made", "read", "began", "begun", "done",
          "shown", "sold", "bought", "put", "written", "taken", "given", "chosen", "won", "lost", "kept", "left");

  private static final Set<String> VERBS =
      Set.of("create", "update", "delete", "remove", "add", "invite", "approve", "reject", "export",
          "import", "view", "download", "upload", "launch", "publish", "unpublish", "archive",
          "restore", "enable", "disable", "start", "cancel", "complete", "change", "edit", "rename",
          "move", "copy", "assign", "unassign", "revoke", "grant", "rotate", "verify", "accept",
          "decline", "refund", "charge", "schedule", "trigger", "retry", "deliver", "open", "close",
          "lock", "unlock", "suspend", "resume", "join", "leave", "share", "access", "generate",
          "process", "sync", "deploy", "install", "uninstall", "block", "unblock", "register",
          "subscribe", "unsubscribe", "renew", "expire", "fail", "succeed", "finish", "mark",
          "clear", "purge", "merge", "link", "unlink", "connect", "disconnect", "save", "load",
          "request", "confirm", "duplicate", "reorder", "sort", "pause", "flag", "report");

  private SummaryGenerator() {}

  static String summarize(ObjectNode event) {
    String action = event.path("action").asString("");
    String status = event.path("status").asString("success");
    JsonNode webhook = event.get("webhook");
    if (webhook != null && webhook.hasNonNull("endpoint")) {
      String name = webhook.hasNonNull("event") ? webhook.get("event").asString() : action;
      String verb =
          switch (status) {
            case "success" -> "delivered to";
            case "failure" -> "could not be delivered to";
            default -> "is being delivered to";
          };
      return clip("Webhook " + name + " " + verb + " " + webhook.get("endpoint").asString());
    }
    String actor = actor(event.get("actor"));
    String object = object(event);
    String segment = lastSegment(action);
    String phrase = phrase(segment, object, previousSegment(action));
    String line = actor + " " + phrase;
    if ("failure".equals(status) && !phrase.contains("fail")) line += " (failed)";
    return clip(line);
  }

  private static String phrase(String segment, String object, String noun) {
    String key = segment.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    String fixed = PHRASES.get(key);
    if (fixed != null) {
      if (object == null) return fixed;
      return fixed + (fixed.endsWith("out") ? " of " : fixed.endsWith("up") ? " for " : " to ") + object;
    }
    String[] words = Arrays.stream(key.split("_")).filter(w -> !w.isEmpty()).toArray(String[]::new);
    if (words.length == 0) return "did something";
    String last = words[words.length - 1];
    if (last.equals("failed") && words.length > 1) {
      String what = String.join(" ", Arrays.copyOf(words, words.length - 1));
      return "had a failed " + what + (object == null ? "" : " on " + object);
    }
    if (isPast(last)) return verbPhrase(last, Arrays.copyOf(words, words.length - 1), object, noun);
    String first = words[0];
    if (VERBS.contains(first) || IRREGULAR.containsKey(first)) {
      return verbPhrase(past(first), Arrays.copyOfRange(words, 1, words.length), object, noun);
    }
    String performed = "performed " + String.join(" ", words);
    return object == null ? performed : performed + " on " + object;
  }

  /** "updated campaign "X"", "changed the role of user "Ana"", "updated a campaign". */
  private static String verbPhrase(String verb, String[] nounWords, String object, String noun) {
    if (nounWords.length > 0) {
      String what = "the " + String.join(" ", nounWords);
      return verb + " " + what + (object == null ? "" : " of " + object);
    }
    if (object != null) return verb + " " + object;
    if (noun == null) return verb;
    String words = noun.replace('_', ' ').replace('-', ' ');
    return verb + " " + ("aeio".indexOf(Character.toLowerCase(words.charAt(0))) >= 0 ? "an " : "a ") + words;
  }

  private static boolean isPast(String word) {
    return (word.length() > 3 && word.endsWith("ed")) || PAST.contains(word);
  }

  private static String past(String verb) {
    String irregular = IRREGULAR.get(verb);
    if (irregular != null) return irregular;
    if (verb.endsWith("e")) return verb + "d";
    if (verb.endsWith("y") && verb.length() > 1 && "aeiou".indexOf(verb.charAt(verb.length() - 2)) < 0) {
      return verb.substring(0, verb.length() - 1) + "ied";
    }
    return verb + "ed";
  }

  private static String actor(JsonNode actor) {
    if (actor != null) {
      for (String field : new String[] {"name", "email", "id"}) {
        String value = actor.path(field).asString("").trim();
        if (!value.isEmpty()) return value;
      }
      if (!"system".equals(actor.path("type").asString(""))) return "Someone";
    }
    return "System";
  }

  /** {@code type "name"} for the resource, else for the job; null when there is neither. */
  private static String object(ObjectNode event) {
    JsonNode resource = event.get("resource");
    if (resource != null) {
      String type = resource.path("type").asString("").trim().replace('_', ' ');
      String name = resource.path("name").asString("").trim();
      if (name.isEmpty()) name = resource.path("id").asString("").trim();
      if (!name.isEmpty()) return (type.isEmpty() ? "" : type + " ") + "\"" + name + "\"";
      if (!type.isEmpty()) return type;
    }
    JsonNode job = event.get("job");
    if (job != null && !job.path("name").asString("").isBlank()) {
      return "job \"" + job.get("name").asString().trim() + "\"";
    }
    return null;
  }

  private static String lastSegment(String action) {
    return action.substring(action.lastIndexOf('.') + 1);
  }

  private static String previousSegment(String action) {
    int last = action.lastIndexOf('.');
    if (last <= 0) return null;
    return action.substring(action.lastIndexOf('.', last - 1) + 1, last);
  }

  /** At most {@link #MAX_CHARS} characters on one line, never splitting a surrogate pair. */
  static String clip(String line) {
    String flat = line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 ? line.replaceAll("[\r\n]+", " ") : line;
    if (flat.length() <= MAX_CHARS) return flat;
    int end = MAX_CHARS - 1;
    if (Character.isHighSurrogate(flat.charAt(end - 1))) end--;
    return flat.substring(0, end) + "…";
  }
}
