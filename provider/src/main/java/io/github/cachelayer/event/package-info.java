/**
 * Entry events: registrations, per-registration shaping (filters, old values) and ordered
 * delivery, synchronous or not.
 *
 * <p>A foundation: must not import {@code store}, {@code cache}, {@code local} or {@code redis}.
 */
package io.github.cachelayer.event;
