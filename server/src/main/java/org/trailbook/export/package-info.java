/** Exports of a workspace log as NDJSON, JSON or CSV: direct downloads and background jobs, with verification bundles. */
package org.trailbook.export;
