package org.trailbook.access;

import java.util.regex.Pattern;

/** A workspace: the unit of isolation, with its own log. */
public record Workspace(String id, String name, String createdAt) {
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
}
