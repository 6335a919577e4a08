package org.trailbook.views;

/**
 * A named filter set of the web page: {@code query} is the page's query string (such as {@code
 * range=7d&category=auth}), {@code owner} the person (or API key) it belongs to in {@code workspace}.
 */
public record SavedView(String id, String workspace, String owner, String name, String query, String createdAt) {}
