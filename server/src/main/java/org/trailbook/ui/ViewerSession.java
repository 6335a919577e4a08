package org.trailbook.ui;

import org.trailbook.access.Person;

/**
 * What a viewer token vouches for: a person with a role in one workspace, until {@code expiresAt}
 * (epoch seconds). {@code id} is the token's random id (each token is redeemed once); {@code
 * mintedBy} is the id of the API key that minted it.
 */
public record ViewerSession(String id, String workspace, Person person, Role role, long expiresAt, String mintedBy) {}
