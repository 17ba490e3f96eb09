package io.github.cachelayer.cache;

import io.github.cachelayer.event.EventSource;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;
import io.github.cachelayer.store.command.ScriptableAction;
import io.github.cachelayer.util.OnceClock;
import java.util.ArrayList;
import java.util.List;
import javax.cache.event.EventType;

/**
 * One atomic single-key decision. The base reclaims an expired entry (raising EXPIRED) and shows
 * the subclass only the live entry; it counts hits, puts and removals and records events for the
 * cache to publish at commit. Counters and events are reset on every run, because a remote store
 * may run a decision more than once before one run commits (compare-and-set retries).
 */
abstract class Op<K, V, R> implements EntryAction<V, R>, EventSource<K, V>, ScriptableAction<V> {
  final OperationContext<K, V> context;
  final K key;
  /** The decision's time, read when first needed. */
  final OnceClock now;
  boolean hit;
  int puts;
  int removals;
  private List<PendingEvent<K, V>> events;

  Op(OperationContext<K, V> context, K key) {
    this.context = context;
    this.key = key;
    this.now = new OnceClock(context.clock);
  }

  @Override
  public final R apply(StoredEntry<V> current, Mutation<V> mutation) {
    hit = false;
    puts = 0;
    removals = 0;
    events = null;
    StoredEntry<V> live = current;
    if (current != null && current.isExpired(now)) {
      mutation.remove();
      if (context.eventsWanted()) {
        event(EventType.EXPIRED, context.copy(current.value()), null);
      }
      live = null;
    }
    return run(live, mutation);
  }

  /** The decision on the live entry (null if absent or expired). */
  abstract R run(StoredEntry<V> live, Mutation<V> mutation);

  /** Most decisions need Java: a command is offered by the simple operations only. */
  @Override
  public EntryCommand<V> command() {
    return null;
  }

  /**
   * This decision as a command a store may run on its server, or null when it cannot be one:
   * the writer must be called, or the expiry policy is not one of the specification's own.
   *
   * @param returnsPrevious whether the operation returns or compares the previous value
   * @param callsWriter whether the decision calls the writer when it changes the entry
   */
  EntryCommand<V> command(Condition condition, Effect effect, V value, V expected,
      boolean returnsPrevious, boolean callsWriter) {
    EntryCommand.Durations durations = context.expiry.durations();
    if (durations == null || (callsWriter && context.writer.isPresent())) {
      return null;
    }
    return new EntryCommand<>(condition, effect, value, expected, now.millis(), durations,
        returnsPrevious || context.eventsWanted());
  }

  @Override
  public List<PendingEvent<K, V>> events() {
    return events == null ? List.of() : events;
  }

  @Override
  public void onCommit() {
    if (events != null) {
      context.publish(events);
    }
  }

  /** Stores a new entry unless its creation expiry is already over; true if stored. */
  boolean create(V stored, V given, Mutation<V> mutation) {
    if (!storeNew(stored, given, mutation)) {
      return false;
    }
    puts++;
    return true;
  }

  /** As {@link #create}, for a loaded value: a load is not counted as a put. */
  boolean storeNew(V stored, V given, Mutation<V> mutation) {
    long expireAt = context.expiry.creation(now);
    if (expireAt != StoredEntry.ETERNAL && expireAt <= now.millis()) {
      return false;
    }
    mutation.write(stored, expireAt);
    event(EventType.CREATED, given, null);
    return true;
  }

  void update(StoredEntry<V> live, V stored, V given, Mutation<V> mutation) {
    mutation.write(stored, context.expiry.update(now, live.expireAt()));
    puts++;
    if (context.eventsWanted()) {
      event(EventType.UPDATED, given, context.copy(live.value()));
    }
  }

  void remove(StoredEntry<V> live, Mutation<V> mutation) {
    mutation.remove();
    removals++;
    if (context.eventsWanted()) {
      event(EventType.REMOVED, context.copy(live.value()), null);
    }
  }

  void touchOnAccess(StoredEntry<V> live, Mutation<V> mutation) {
    long expireAt = context.expiry.access(now, live.expireAt());
    if (expireAt != live.expireAt()) {
      mutation.touch(expireAt);
    }
  }

  private void event(EventType type, V value, V oldValue) {
    if (context.eventsWanted()) {
      if (events == null) {
        events = new ArrayList<>(2);
      }
      events.add(new PendingEvent<>(type, key, value, oldValue));
    }
  }
}
