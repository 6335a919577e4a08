package org.trailbook;

/**
 * One thing wrong with a request: which event of the batch ({@code index}, or -1 when the problem
 * is not about one event), which field (a dotted path such as {@code actor.email}), and the rule it
 * broke in plain words.
 */
public record Problem(int index, String field, String problem) {
  public Problem {
    if (field == null || problem == null) throw new IllegalArgumentException("field and problem are required");
  }

  public static Problem of(String field, String problem) {
    return new Problem(-1, field, problem);
  }
}
