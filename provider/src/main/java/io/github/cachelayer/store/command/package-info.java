/**
 * Operations described as data, so that a store which runs them server-side (Redis, in one Lua
 * script) can do so: {@link io.github.cachelayer.store.command.ScriptableAction} is implemented
 * by the cache's decisions; a store that cannot run commands just calls the action.
 *
 * <p>Must not import {@code cache}, {@code local} or {@code redis}.
 */
package io.github.cachelayer.store.command;
