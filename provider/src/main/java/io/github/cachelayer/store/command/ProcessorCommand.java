package io.github.cachelayer.store.command;

/**
 * An entry processor offered to a store that may run it on its server: the Redis store has a
 * script for the helpers' processors (rate limiting, session reads and merges) and runs the
 * others as Java. Offered only when nothing but the entry decides the outcome: no writer, no
 * loader, no listener, and fixed expiry durations. As with {@link EntryCommand}, the action
 * stays the reference: the store replays it on the entry the script found, for the result and
 * the counters.
 *
 * @param processor the caller's entry processor
 * @param now the operation's time on the cache's clock (expiry times are computed from it)
 * @param durations the expiry durations of the cache's policy
 */
public record ProcessorCommand(Object processor, long now, EntryCommand.Durations durations) {}
