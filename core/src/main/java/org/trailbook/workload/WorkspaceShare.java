package org.trailbook.workload;

/** A workspace id and the expected share of all events that go to it. */
public record WorkspaceShare(String workspace, double share) {}
