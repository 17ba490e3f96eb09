package io.github.cachelayer.event;

import javax.cache.event.EventType;

/**
 * An event as an operation records it, before it is shaped for each registration. For REMOVED and
 * EXPIRED events {@code value} is the value that went away.
 */
public record PendingEvent<K, V>(EventType type, K key, V value, V oldValue) {}
