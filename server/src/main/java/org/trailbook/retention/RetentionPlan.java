package org.trailbook.retention;

/**
 * A retention maximum the platform admin defines and assigns to workspaces: a workspace on the plan may keep entries
 * at most {@code maxDays} days ({@code null}: no maximum).
 */
public record RetentionPlan(String name, Integer maxDays) {}
