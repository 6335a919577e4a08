package org.trailbook.ui;

import java.util.Locale;

/** A person's role in a workspace, as the host application states it when minting a viewer token. */
public enum Role {
  OWNER, ADMIN, AGENT, VIEWER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Only Owners and Admins may read the workspace's activity log. */
  public boolean canReadLog() {
    return this == OWNER || this == ADMIN;
  }

  /** The role named {@code name}, or null if there is none. */
  public static Role parse(String name) {
    for (Role r : values()) if (r.wireName().equals(name)) return r;
    return null;
  }
}
