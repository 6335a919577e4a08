package org.trailbook.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * Words for free-text search: maximal runs of letters and digits, lowercased. An id, email, URL or dotted action
 * becomes several words in a row ({@code admin@acme.com} → admin, acme, com), and a query word that splits the same
 * way is searched as a phrase, so {@code acme.com}, {@code c_42} and {@code summer} all find what they should. Values
 * are kept {@value #VALUE_GAP} positions apart so a phrase never spans two values.
 */
final class TextAnalyzer extends Analyzer {
  static final int VALUE_GAP = 100;
  static final TextAnalyzer INSTANCE = new TextAnalyzer();

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer tokenizer = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
    return new TokenStreamComponents(tokenizer, new LowerCaseFilter(tokenizer));
  }

  @Override
  public int getPositionIncrementGap(String fieldName) {
    return VALUE_GAP;
  }

  /** The words of {@code text}, as indexed. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = INSTANCE.tokenStream(Fields.ALL, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) out.add(term.toString());
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static boolean hasToken(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) return true;
      i += Character.charCount(cp);
    }
    return false;
  }
}
