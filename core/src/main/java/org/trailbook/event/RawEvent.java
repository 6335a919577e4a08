package org.trailbook.event;

import tools.jackson.databind.node.ObjectNode;

/**
 * One event as parsed from the body, not yet validated.
 *
 * @param index its position in the batch, from 0
 * @param event the JSON object as sent
 * @param byteLength its size in bytes as sent
 */
public record RawEvent(int index, ObjectNode event, int byteLength) {}
