package org.trailbook.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.merkle.Rfc6962Vectors.ROOTS;
import static org.trailbook.merkle.Rfc6962Vectors.hashes;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known proofs of the 8-leaf RFC 6962 test tree from transparency-dev/merkle {@code proof/verify_test.go}
 * (variables {@code inclusionProofs} and {@code consistencyProofs};
 * https://github.com/transparency-dev/merkle/blob/main/proof/verify_test.go), with roots and leaves
 * from {@code testonly/constants.go} (see {@link Rfc6962Vectors}). The Go vectors number leaves from 1:
 * {@code {leaf 6, size 8}} there is leafIndex 5 here.
 */
class ProofVerifierTest {
  private static final TreeHasher HASHER = new TreeHasher();
  /** {@code sha256SomeHash} in verify_test.go. */
  private static final Hash SOME_HASH = Hash.fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");

  /** {@code inclusionProofs} in verify_test.go, leaf converted to a 0-based leafIndex. */
  static Stream<InclusionProof> knownInclusionProofs() {
    return Stream.of(
        new InclusionProof(0, 8, hashes("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
        new InclusionProof(5, 8, hashes("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
        new InclusionProof(2, 3, hashes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
        new InclusionProof(1, 5, hashes("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
        new InclusionProof(0, 1, List.of()));
  }

  /** {@code consistencyProofs} in verify_test.go. */
  static Stream<ConsistencyProof> knownConsistencyProofs() {
    return Stream.of(
        new ConsistencyProof(1, 1, List.of()),
        new ConsistencyProof(1, 8, hashes("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
        new ConsistencyProof(6, 8, hashes("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
        new ConsistencyProof(2, 5, hashes("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
        new ConsistencyProof(6, 7, hashes("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));
  }

  private static Hash leafHash(long leafIndex) {
    return HASHER.leafHash(Rfc6962Vectors.LEAF_INPUTS.get((int) leafIndex));
  }

  private static Hash root(long treeSize) {
    return ROOTS.get((int) treeSize);
  }

  @ParameterizedTest
  @MethodSource("knownInclusionProofs")
  void verifiesKnownInclusionProofs(InclusionProof proof) {
    assertThatCode(() -> ProofVerifier.verifyInclusion(proof, leafHash(proof.leafIndex()), root(proof.treeSize())))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("knownConsistencyProofs")
  void verifiesKnownConsistencyProofs(ConsistencyProof proof) {
    assertThatCode(() -> ProofVerifier.verifyConsistency(proof, root(proof.fromSize()), root(proof.toSize())))
        .doesNotThrowAnyException();
  }

  /** The probes of {@code corruptInclusionProof} in verify_test.go, those expressible with 32-byte hashes. */
  static Stream<Arguments> corruptedInclusionProofs() {
    List<Arguments> cases = new ArrayList<>();
    knownInclusionProofs().filter(p -> p.treeSize() > 1).forEach(p -> {
      long i = p.leafIndex();
      long n = p.treeSize();
      Hash leaf = leafHash(i);
      Hash root = root(n);
      List<Hash> h = p.hashes();
      if (i > 0) cases.add(Arguments.of("leafIndex - 1", new InclusionProof(i - 1, n, h), leaf, root));
      if (i + 1 < n) cases.add(Arguments.of("leafIndex + 1", new InclusionProof(i + 1, n, h), leaf, root));
      if ((i ^ 2) < n) cases.add(Arguments.of("leafIndex ^ 2", new InclusionProof(i ^ 2, n, h), leaf, root));
      cases.add(Arguments.of("treeSize * 2", new InclusionProof(i, n * 2, h), leaf, root));
      if (i < n / 2) cases.add(Arguments.of("treeSize / 2", new InclusionProof(i, n / 2, h), leaf, root));
      cases.add(Arguments.of("wrong leaf", p, HASHER.leafHash("WrongLeaf".getBytes()), root));
      cases.add(Arguments.of("empty root", p, leaf, HASHER.emptyRoot()));
      cases.add(Arguments.of("random root", p, leaf, SOME_HASH));
      cases.add(Arguments.of("trailing root", new InclusionProof(i, n, concat(h, List.of(root))), leaf, root));
      cases.add(Arguments.of("preceding root", new InclusionProof(i, n, concat(List.of(root), h)), leaf, root));
      for (int k = 0; k < h.size(); k++) {
        List<Hash> flipped = new ArrayList<>(h);
        flipped.set(k, flipBit(h.get(k), 3));
        cases.add(Arguments.of("modified proof[" + k + "] bit 3", new InclusionProof(i, n, flipped), leaf, root));
      }
      cases.add(Arguments.of("removed component", new InclusionProof(i, n, h.subList(0, h.size() - 1)), leaf, root));
      if (h.size() > 1) {
        List<Hash> inserted = concat(List.of(h.get(0), SOME_HASH), h.subList(1, h.size()));
        cases.add(Arguments.of("inserted component", new InclusionProof(i, n, inserted), leaf, root));
      }
    });
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptedInclusionProofs")
  void rejectsCorruptedInclusionProofs(String description, InclusionProof proof, Hash leaf, Hash root) {
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(proof, leaf, root)).isInstanceOf(ProofException.class);
  }

  /** The probes of {@code corruptConsistencyProof} in verify_test.go, those expressible with 32-byte hashes. */
  static Stream<Arguments> corruptedConsistencyProofs() {
    List<Arguments> cases = new ArrayList<>();
    knownConsistencyProofs().filter(p -> !p.hashes().isEmpty()).forEach(p -> {
      long m = p.fromSize();
      long n = p.toSize();
      Hash r1 = root(m);
      Hash r2 = root(n);
      List<Hash> h = p.hashes();
      cases.add(Arguments.of("size1 - 1", new ConsistencyProof(m - 1, n, h), r1, r2));
      cases.add(Arguments.of("size1 + 1", new ConsistencyProof(m + 1, n, h), r1, r2));
      if ((m ^ 2) <= n) cases.add(Arguments.of("size1 ^ 2", new ConsistencyProof(m ^ 2, n, h), r1, r2));
      cases.add(Arguments.of("size2 * 2", new ConsistencyProof(m, n * 2, h), r1, r2));
      if (m <= n / 2) cases.add(Arguments.of("size2 / 2", new ConsistencyProof(m, n / 2, h), r1, r2));
      cases.add(Arguments.of("wrong root1", p, SOME_HASH, r2));
      cases.add(Arguments.of("wrong root2", p, r1, SOME_HASH));
      cases.add(Arguments.of("swapped roots", p, r2, r1));
      cases.add(Arguments.of("empty proof", new ConsistencyProof(m, n, List.of()), r1, r2));
      cases.add(Arguments.of("trailing root1", new ConsistencyProof(m, n, concat(h, List.of(r1))), r1, r2));
      cases.add(Arguments.of("trailing root2", new ConsistencyProof(m, n, concat(h, List.of(r2))), r1, r2));
      cases.add(Arguments.of("preceding root1", new ConsistencyProof(m, n, concat(List.of(r1), h)), r1, r2));
      cases.add(Arguments.of("preceding root2", new ConsistencyProof(m, n, concat(List.of(r2), h)), r1, r2));
      cases.add(Arguments.of("preceding proof[0]", new ConsistencyProof(m, n, concat(List.of(h.get(0)), h)), r1, r2));
      cases.add(Arguments.of("truncated proof", new ConsistencyProof(m, n, h.subList(0, h.size() - 1)), r1, r2));
      for (int k = 0; k < h.size(); k++) {
        List<Hash> flipped = new ArrayList<>(h);
        flipped.set(k, flipBit(h.get(k), 4));
        cases.add(Arguments.of("modified proof[" + k + "] bit 4", new ConsistencyProof(m, n, flipped), r1, r2));
      }
    });
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptedConsistencyProofs")
  void rejectsCorruptedConsistencyProofs(String description, ConsistencyProof proof, Hash fromRoot, Hash toRoot) {
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(proof, fromRoot, toRoot)).isInstanceOf(ProofException.class);
  }

  @Test
  void reportsBothRootsWhenTheInclusionRootDiffers() {
    InclusionProof proof = knownInclusionProofs().findFirst().orElseThrow();
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(proof, leafHash(0), SOME_HASH))
        .isInstanceOfSatisfying(ProofException.class, e -> {
          assertThat(e.expected()).isEqualTo(SOME_HASH);
          assertThat(e.calculated()).isEqualTo(root(8));
        })
        .hasMessage("inclusion proof for leafIndex 0 in treeSize 8: calculated root " + root(8)
            + " does not match expected root " + SOME_HASH);
  }

  @Test
  void reportsTheExpectedLengthOfAnInclusionProof() {
    InclusionProof proof = new InclusionProof(5, 8, List.of(SOME_HASH));
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(proof, leafHash(5), root(8)))
        .isInstanceOf(ProofException.class)
        .hasMessage("inclusion proof for leafIndex 5 in treeSize 8 has 1 hashes, expected 3");
  }

  @Test
  void reportsWhichConsistencyRootDiffers() {
    ConsistencyProof proof = knownConsistencyProofs().filter(p -> p.fromSize() == 6 && p.toSize() == 8).findFirst().orElseThrow();
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(proof, SOME_HASH, root(8)))
        .isInstanceOfSatisfying(ProofException.class, e -> assertThat(e.calculated()).isEqualTo(root(6)))
        .hasMessageContaining("calculated old root " + root(6) + " does not match expected " + SOME_HASH);
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(proof, root(6), SOME_HASH))
        .isInstanceOfSatisfying(ProofException.class, e -> assertThat(e.calculated()).isEqualTo(root(8)))
        .hasMessageContaining("calculated new root " + root(8) + " does not match expected " + SOME_HASH);
  }

  /** The always-consistent and never-consistent cases of {@code TestVerifyConsistency} in verify_test.go, with our stricter rule for size 0. */
  @Test
  void acceptsEqualSizesOnlyWithEqualRootsAndNoHashes() {
    ProofVerifier.verifyConsistency(new ConsistencyProof(1, 1, List.of()), root(1), root(1));
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(new ConsistencyProof(1, 1, List.of()), root(1), SOME_HASH))
        .isInstanceOf(ProofException.class).hasMessageStartingWith("roots differ for the same treeSize 1");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(new ConsistencyProof(1, 1, List.of(root(1))), root(1), root(1)))
        .isInstanceOf(ProofException.class).hasMessage("consistency proof from treeSize 1 to 1 has 1 hashes, expected 0");
  }

  @Test
  void acceptsTheEmptyTreeAsAPrefixOfAnyTreeOnlyWithTheEmptyRoot() {
    ProofVerifier.verifyConsistency(new ConsistencyProof(0, 5, List.of()), HASHER.emptyRoot(), root(5));
    ProofVerifier.verifyConsistency(new ConsistencyProof(0, 0, List.of()), HASHER.emptyRoot(), HASHER.emptyRoot());
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(new ConsistencyProof(0, 5, List.of()), SOME_HASH, root(5)))
        .isInstanceOf(ProofException.class).hasMessageContaining("is not the empty-tree root");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(new ConsistencyProof(0, 1, List.of(HASHER.emptyRoot())),
        HASHER.emptyRoot(), root(1))).isInstanceOf(ProofException.class);
  }

  @Test
  void computesTheProofLengthsOfTheReference() {
    ReferenceTree reference = new ReferenceTree(ReferenceTree.leaves(70));
    for (int n = 1; n <= 70; n++) {
      for (int i = 0; i < n; i++) {
        assertThat(ProofVerifier.inclusionProofLength(i, n)).as("PATH(%d, D[%d])", i, n).isEqualTo(reference.path(i, n).size());
      }
      for (int m = 0; m <= n; m++) {
        assertThat(ProofVerifier.consistencyProofLength(m, n)).as("PROOF(%d, D[%d])", m, n).isEqualTo(reference.proof(m, n).size());
      }
    }
  }

  static Hash flipBit(Hash hash, int bit) {
    byte[] bytes = hash.toBytes();
    bytes[0] ^= (byte) (1 << bit);
    return Hash.of(bytes);
  }

  static List<Hash> concat(List<Hash> a, List<Hash> b) {
    List<Hash> result = new ArrayList<>(a);
    result.addAll(b);
    return result;
  }
}
