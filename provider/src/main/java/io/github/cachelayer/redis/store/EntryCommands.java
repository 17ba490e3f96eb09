package io.github.cachelayer.redis.store;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.redis.link.Batch;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Decisions run as {@code entry.lua} commands (one round trip each, or several entries per call
 * in bulk), then the decision itself on the entry as the script found it, for its result, events
 * and counters. When the Java decision wants a change the script did not make (such as
 * {@code equals()} finding equal values whose bytes differ), the script changed nothing, and the
 * decision is taken again by compare-and-set ({@link CompareAndSetLoop}).
 *
 * <p>Scripts are sent once ({@link RedisLink.Resend#NEVER}): a script that ran and whose answer
 * was lost would, sent again, answer as if the first had not run (a putIfAbsent answering false
 * although it wrote). One left unanswered fails once its connection is fenced, and its key is
 * settled ({@link UnsettledKeys}).
 */
public final class EntryCommands<K, V> {
  private final RedisLink link;
  private final KeyNames keys;
  private final ValueCodec codec;
  private final EntryDecoder<V> decoder;
  private final RedisEvents<K, V> events;
  private final long retentionMillis;

  EntryCommands(RedisLink link, KeyNames keys, ValueCodec codec, EntryDecoder<V> decoder,
      RedisEvents<K, V> events, long retentionMillis) {
    this.link = link;
    this.keys = keys;
    this.codec = codec;
    this.decoder = decoder;
    this.events = events;
    this.retentionMillis = retentionMillis;
  }

  /** Runs one command; returns {result}, or null when it must be decided again. */
  <R> Object[] run(String redisKey, K key, EntryCommand<V> command, EntryAction<V, R> action) {
    List<Object> reply = link.eval(LuaScript.ENTRY.script(), RedisLink.Resend.NEVER,
        List.of(redisKey), arguments(redisKey, command));
    return settle(EntryScript.reply(reply, 0), key, action);
  }

  /** {@link #run}'s script sent without a thread waiting; {@link #settle} its reply. */
  java.util.concurrent.CompletableFuture<List<Object>> sendWithoutWaiting(String redisKey,
      EntryCommand<V> command) {
    return link.evalWithoutWaiting(LuaScript.ENTRY.script(), List.of(redisKey),
        arguments(redisKey, command));
  }

  private Object[] arguments(String redisKey, EntryCommand<V> command) {
    return EntryScript.arguments(command,
        command.value() == null ? null : codec.encode(command.value(), redisKey),
        command.expected() == null ? null : codec.encode(command.expected(), redisKey),
        retentionMillis, events.channelIfListened(), events.origin());
  }

  /** Runs the action on the entry the script found; null when it must decide again. */
  public <R> Object[] settle(EntryScript.Reply reply, K key, EntryAction<V, R> action) {
    StoredEntry<V> preImage = switch (reply.found()) {
      case LIVE -> decoder.preImage(key, reply.previous(), reply.previousExpiry());
      case EXPIRED -> decoder.preImage(key, reply.previous(), 0L);
      case ABSENT -> null;
    };
    Mutation<V> mutation = new Mutation<>();
    R result = action.apply(preImage, mutation);
    boolean javaWantsChange = mutation.kind() == Mutation.Kind.WRITE
        || (mutation.kind() == Mutation.Kind.REMOVE && reply.found() == EntryScript.Found.LIVE);
    if (!reply.changed() && javaWantsChange) {
      return null;
    }
    action.onCommit();
    return new Object[] {result};
  }

  /**
   * Runs the commands of a bulk call that are still unsettled: outside a cluster several entries
   * per script call (up to {@link RedisStore#ENTRIES_PER_CALL}), in a cluster one pipeline of
   * EVALSHAs per node. Settles into {@code results} and {@code settled}.
   */
  <R> void runAll(List<? extends K> keyList, List<? extends EntryAction<V, R>> actions,
      EntryCommand<V>[] commands, Object[] results, boolean[] settled, boolean multiKeyScripts) {
    if (multiKeyScripts) {
      runInScripts(keyList, actions, commands, results, settled);
    } else {
      runPipelined(keyList, actions, commands, results, settled);
    }
  }

  private <R> void runInScripts(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions, EntryCommand<V>[] commands, Object[] results,
      boolean[] settled) {
    int size = keyList.size();
    List<Integer> chunk = new ArrayList<>();
    for (int i = 0; i <= size; i++) {
      if (i < size && !settled[i] && commands[i] != null) {
        chunk.add(i);
      }
      if (!chunk.isEmpty() && (i == size || chunk.size() == RedisStore.ENTRIES_PER_CALL)) {
        List<String> redisKeys = new ArrayList<>(chunk.size());
        List<Object> arguments = new ArrayList<>(chunk.size() * EntryScript.ARGUMENTS);
        for (int index : chunk) {
          String redisKey = keys.redisKey(keyList.get(index));
          redisKeys.add(redisKey);
          arguments.addAll(List.of(arguments(redisKey, commands[index])));
        }
        List<Object> reply = link.eval(LuaScript.ENTRY.script(), RedisLink.Resend.NEVER,
            redisKeys, arguments.toArray());
        for (int n = 0; n < chunk.size(); n++) {
          int index = chunk.get(n);
          settleInto(EntryScript.reply(reply, n), keyList, actions, index, results, settled);
        }
        chunk.clear();
      }
    }
  }

  private <R> void runPipelined(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions, EntryCommand<V>[] commands, Object[] results,
      boolean[] settled) {
    int size = keyList.size();
    Batch batch = link.batch(RedisLink.Resend.NEVER);
    List<CompletableFuture<List<Object>>> replies = new ArrayList<>(Collections.nCopies(size, null));
    for (int i = 0; i < size; i++) {
      if (!settled[i] && commands[i] != null) {
        String redisKey = keys.redisKey(keyList.get(i));
        replies.set(i, batch.addEval(LuaScript.ENTRY.script(), redisKey,
            arguments(redisKey, commands[i])));
      }
    }
    batch.execute();
    for (int i = 0; i < size; i++) {
      CompletableFuture<List<Object>> reply = replies.get(i);
      if (reply != null) {
        settleInto(EntryScript.reply(Batch.join(reply), 0), keyList, actions, i, results,
            settled);
      }
    }
  }

  private <R> void settleInto(EntryScript.Reply reply, List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions, int index, Object[] results,
      boolean[] settled) {
    Object[] result = settle(reply, keyList.get(index), actions.get(index));
    if (result != null) {
      results[index] = result[0];
      settled[index] = true;
    }
  }

  /** Decides the still unsettled ones one by one, and returns all results in order. */
  @SuppressWarnings("unchecked")
  static <K, V, R> List<R> finish(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions, Object[] results, boolean[] settled,
      BiFunction<K, EntryAction<V, R>, R> oneByOne) {
    List<R> list = new ArrayList<>(results.length);
    for (int i = 0; i < results.length; i++) {
      list.add(settled[i] ? (R) results[i] : oneByOne.apply(keyList.get(i), actions.get(i)));
    }
    return list;
  }
}
