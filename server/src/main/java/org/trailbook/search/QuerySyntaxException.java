package org.trailbook.search;

import java.util.List;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;

/** A malformed {@code q}: answered with 400 {@code invalid_query}, naming the 1-based position and what was expected. */
public final class QuerySyntaxException extends InvalidInputException {
  private final int position;

  QuerySyntaxException(String what, int position) {
    super("invalid_query", what + " at position " + position, List.of(Problem.of("q", what + " at position " + position)));
    this.position = position;
  }

  /** The 1-based character position the problem was found at. */
  public int position() {
    return position;
  }
}
