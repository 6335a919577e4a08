/**
 * Retention (docs/retention.md, docs/adr/0004): per-workspace policies, plans (platform maxima), legal holds and the
 * effective retention the purger applies; the purger itself ({@code Purger}) removes what falls out of it.
 */
package org.trailbook.retention;
