/** Wiring: configuration, the data directory, and starting and stopping the parts in order. */
package org.trailbook.server;
