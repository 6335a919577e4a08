/**
 * Turning a raw request body into validated, normalized and redacted events, before anything is
 * stored: {@link org.trailbook.event.EventBatchParser} (bytes to raw events, with the body-level
 * limits), {@link org.trailbook.event.EventNormalizer} (schema rules, defaults, derived fields,
 * redaction), {@link org.trailbook.event.Redactor} with its {@link
 * org.trailbook.event.RedactionRules}, and {@link org.trailbook.event.UuidV7} for server ids. The
 * schema itself is documented for integrators in {@code docs/events.md}.
 */
package org.trailbook.event;
