package org.trailbook;

import java.util.List;

/** Input that breaks a rule: answered with 400, a stable {@code code} and the list of problems. */
public class InvalidInputException extends TrailbookException {
  private final String code;
  private final List<Problem> problems;

  public InvalidInputException(String code, String message, List<Problem> problems) {
    super(message);
    this.code = code;
    this.problems = List.copyOf(problems);
  }

  public InvalidInputException(String code, String message) {
    this(code, message, List.of());
  }

  public String code() {
    return code;
  }

  public List<Problem> problems() {
    return problems;
  }
}
