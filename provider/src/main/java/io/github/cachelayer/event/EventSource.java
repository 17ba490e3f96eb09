package io.github.cachelayer.event;

import java.util.List;

/**
 * An operation that records entry events: a distributed store publishes them to other JVMs in the
 * same atomic step as the change they describe.
 */
public interface EventSource<K, V> {
  /** The events of the last run of the operation's decision, in order; empty when none. */
  List<PendingEvent<K, V>> events();
}
