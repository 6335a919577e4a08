/** The write path: request body to validated, redacted, canonical entries in the journal. */
package org.trailbook.ingest;
