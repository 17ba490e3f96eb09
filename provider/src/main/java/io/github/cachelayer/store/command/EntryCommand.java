package io.github.cachelayer.store.command;

/**
 * A single-key decision described as data, so that a remote store can take it on its server in
 * one round trip (the Redis store's {@code entry.lua}) instead of reading, deciding locally and
 * writing back. The {@link EntryAction} that offers it stays the reference: the store runs the
 * action on the entry as the server found it, and the action's result, events and counters come
 * from there. An action offers a command only when its decision needs nothing but the entry and
 * these fields (no writer, loader, processor or custom expiry policy).
 *
 * @param condition when the effect applies
 * @param effect what happens when the condition holds; a live entry that fails an
 *     {@link Condition#EQUALS} condition is touched with the access duration
 * @param value the value to write, for {@link Effect#WRITE}
 * @param expected the value to compare with, for {@link Condition#EQUALS}
 * @param now the decision's time, epoch milliseconds of the cache's clock
 * @param durations the expiry durations of the cache's policy
 * @param needsPrevious whether the action reads the previous value (to return it, or for an event
 *     or a comparison); when false, the store may show the action a stand-in value
 */
public record EntryCommand<V>(Condition condition, Effect effect, V value, V expected, long now,
    Durations durations, boolean needsPrevious) {

  /**
   * Whether the command writes the same entry whatever it finds and nobody looks at what it
   * found: an unconditional write, no previous value wanted, and an expiry time that does not
   * depend on the previous entry. A store may then write without reading.
   */
  public boolean isBlindWrite() {
    return condition == Condition.ALWAYS && effect == Effect.WRITE && !needsPrevious
        && durations.sameForCreationAndUpdate();
  }

  /** When a command's effect applies. */
  public enum Condition { ALWAYS, ABSENT, PRESENT, EQUALS }

  /** What a command does when its condition holds. */
  public enum Effect { WRITE, REMOVE, TOUCH, KEEP }

  /** Fixed expiry durations in milliseconds: {@link #ETERNAL} or {@link #UNCHANGED} besides. */
  public record Durations(long creation, long update, long access) {
    public static final long ETERNAL = -1;
    public static final long UNCHANGED = -2;

    /**
     * Whether a new entry and an updated one get the same expiry time: equal durations (and not
     * zero, which stores nothing), or eternal on creation and unchanged on update, which keeps an
     * entry of that cache eternal.
     */
    boolean sameForCreationAndUpdate() {
      return creation != 0
          && (update == creation || (creation == ETERNAL && update == UNCHANGED));
    }
  }
}
