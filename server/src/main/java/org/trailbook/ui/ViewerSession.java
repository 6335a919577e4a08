package org.trailbook.ui;

import org.trailbook.access.Person;

/**
 * What a viewer token or a session cookie vouches for: a person with a role in one workspace,
 * until {@code expiresAt} (epoch seconds). {@code id} is random: the token id (each token is
 * redeemed once) or the session id.
 */
public record ViewerSession(String id, String workspace, Person person, Role role, long expiresAt) {}
