/** RFC 8785 (JCS) canonical JSON: the exact bytes every entry is hashed and exported as. */
package org.trailbook.canonical;
