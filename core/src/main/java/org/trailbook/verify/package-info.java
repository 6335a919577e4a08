/**
 * Checking logs without trusting the server: {@link org.trailbook.verify.LogChecker} re-hashes a
 * workspace log entry by entry against its signed checkpoints; {@link
 * org.trailbook.verify.DataDirectoryVerifier} runs it over a data directory's journal files, and
 * {@link org.trailbook.verify.BundleVerifier} over an export bundle that {@link
 * org.trailbook.verify.BundleWriter} produced. The bundle format is described in
 * {@code docs/verification.md}.
 */
package org.trailbook.verify;
