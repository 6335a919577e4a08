/** The live tail: Server-Sent Events of a workspace's new entries, resumable without gaps or duplicates. */
package org.trailbook.stream;
