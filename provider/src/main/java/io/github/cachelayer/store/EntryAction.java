package io.github.cachelayer.store;

/**
 * The decision part of one atomic single-key operation. The store shows the action the entry as
 * it is (null when absent; possibly already expired, so the caller can report the expiry) and
 * applies the {@link Mutation} the action chose, atomically with the read.
 *
 * <p>Actions are pure decisions plus the JCache side effects that must happen inside the atomic
 * step (writer calls, expiry-policy calls). A store that cannot run Java atomically on its server
 * (Redis) runs an action by reading the entry and its version, running the action locally and
 * writing with a compare-and-set, retrying on conflict; so an action may run more than once and
 * must not keep state between runs other than through its result.
 *
 * @param <V> the value type
 * @param <R> what the action returns to the caller
 */
@FunctionalInterface
public interface EntryAction<V, R> {
  R apply(StoredEntry<V> current, Mutation<V> mutation);

  /**
   * Called once, after the decision of the last run of {@link #apply} was applied. A local
   * store calls it while it still holds the key, so events enter their queues in commit order.
   */
  default void onCommit() {}

  /**
   * Whether this action at most touches the entry (a read under an access-expiry policy) and
   * needs nothing but the entry to decide (no loader): a store may then decide on the entry as
   * read and set the new expiry by compare-and-set, deciding again only after a conflict.
   */
  default boolean isPlainRead() {
    return false;
  }
}
