package org.trailbook.journal;

import java.time.Instant;
import org.trailbook.merkle.Hash;

/**
 * One purge of a workspace's log, recorded by the store together with the removal (in the same
 * commit): afterwards the entries below {@code toSeq} are the kept ones only, and the store holds the
 * leaf hash of every seq below {@code toSeq} (see {@link EventStore#purgedLeaves}).
 *
 * @param fromSeq the purge horizon before this purge ({@link EventStore#purgedBefore}); entries below it
 *     that were kept until now may be removed by this purge too (the access trail ageing out)
 * @param toSeq the new horizon: every entry below it is removed unless kept
 * @param removed how many entries this purge removed
 * @param lastLeaf the leaf hash of entry {@code toSeq - 1}: what the {@code prev_hash} of entry {@code
 *     toSeq} names, so the chain of the retained log still starts from a recorded hash
 * @param purgedAt when the store committed the purge
 * @param reason why, as the purger states it (the policy applied), shown by {@code verify} and the API
 */
public record Purge(String workspace, long fromSeq, long toSeq, long removed, Hash lastLeaf, Instant purgedAt, String reason) {}
