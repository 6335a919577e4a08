package org.trailbook.bench;

/**
 * One row of the report: one measure on one Trailbook side ({@code store}: {@code file},
 * {@code postgresql}, {@code postgresql x3}). {@code ratio} is how many times better Trailbook is:
 * peer/Trailbook for times and sizes ("lower" is better), Trailbook/peer for rates.
 */
record Measure(String id, String store, String what, String unit, String better, Side trailbook, Side postgres, String target, Boolean targetMet) {
  Double ratio() {
    if (trailbook == null || postgres == null) return null;
    Double t = trailbook.compared();
    Double p = postgres.compared();
    if (t == null || p == null || t == 0 || p == 0) return null;
    return better.equals("higher") ? t / p : p / t;
  }
}
