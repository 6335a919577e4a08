package org.trailbook.checkpoint;

/**
 * Known-answer vectors of Go's golang.org/x/mod/sumdb/note, copied as data from
 * {@code sumdb/note/note_test.go} (https://github.com/golang/mod/blob/master/sumdb/note/note_test.go):
 * {@code TestNewSigner}/{@code TestSign} (signer key, text, expected signed note), {@code TestNewVerifier}
 * and {@code TestOpen} (verifier keys, Enoch's signature).
 */
final class GoNoteVectors {
  private GoNoteVectors() {}

  static final String PETER_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String PETER_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String ENOCH_VERIFIER = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
  static final String TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  static final String ENOCH_SIG = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
  /** {@code want} in TestSign. */
  static final String SIGNED = TEXT + "\n" + PETER_SIG;
}
