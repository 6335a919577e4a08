package org.trailbook.access;

/**
 * A person signed in to the web page through a viewer token: the host application's user id,
 * email and display name. {@code scope=mine} filters on it.
 */
public record Person(String id, String email, String name) {}
