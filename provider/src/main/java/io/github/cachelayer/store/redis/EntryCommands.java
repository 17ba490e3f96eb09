package io.github.cachelayer.store.redis;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.internal.redisson.api.RBatch;
import io.github.cachelayer.internal.redisson.api.RFuture;
import io.github.cachelayer.internal.redisson.api.RScript;
import io.github.cachelayer.internal.redisson.api.RScriptAsync;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.EntryCommand;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Decisions run as {@code entry.lua} commands (one round trip each, or several entries per call
 * in bulk), then the decision itself on the entry as the script found it, for its result, events
 * and counters. When the Java decision wants a change the script did not make (such as
 * {@code equals()} finding equal values whose bytes differ), the script changed nothing, and the
 * decision is taken again by compare-and-set ({@link CompareAndSetLoop}).
 */
final class EntryCommands<K, V> {
  private final RedissonClient client;
  private final RScript script;
  private final KeyNames keys;
  private final ValueCodec codec;
  private final EntryDecoder<V> decoder;
  private final RedisEvents<K, V> events;
  private final long retentionMillis;
  private volatile String entrySha;

  EntryCommands(RedissonClient client, KeyNames keys, ValueCodec codec, EntryDecoder<V> decoder,
      RedisEvents<K, V> events, long retentionMillis) {
    this.client = client;
    this.script = RedisFailures.scriptsSentOnce(client);
    this.keys = keys;
    this.codec = codec;
    this.decoder = decoder;
    this.events = events;
    this.retentionMillis = retentionMillis;
  }

  /** Runs one command; returns {result}, or null when it must be decided again. */
  <R> Object[] run(String redisKey, K key, EntryCommand<V> command, EntryAction<V, R> action) {
    List<Object> reply = script.eval(redisKey, RScript.Mode.READ_WRITE, LuaScript.ENTRY.source(),
        RScript.ReturnType.LIST, List.of(redisKey), arguments(command));
    return settle(EntryScript.reply(reply, 0), key, action);
  }

  private Object[] arguments(EntryCommand<V> command) {
    return EntryScript.arguments(command,
        command.value() == null ? null : codec.encode(command.value()),
        command.expected() == null ? null : codec.encode(command.expected()),
        retentionMillis, events.channelIfListened(), events.origin());
  }

  /** Runs the action on the entry the script found; null when it must decide again. */
  <R> Object[] settle(EntryScript.Reply reply, K key, EntryAction<V, R> action) {
    StoredEntry<V> preImage = switch (reply.found()) {
      case LIVE -> decoder.preImage(key, reply.previous(), reply.previousExpiry());
      case EXPIRED -> decoder.preImage(key, reply.previous(), 0L);
      case ABSENT -> null;
    };
    Mutation<V> mutation = new Mutation<>();
    R result = action.apply(preImage, mutation);
    boolean javaWantsChange = mutation.kind() == Mutation.Kind.WRITE
        || mutation.kind() == Mutation.Kind.REMOVE && reply.found() == EntryScript.Found.LIVE;
    if (!reply.changed() && javaWantsChange) {
      return null;
    }
    action.onCommit();
    return new Object[] {result};
  }

  /**
   * Runs the commands of a bulk call that are still unsettled: outside a cluster several entries
   * per script call (up to {@link RedisStore#ENTRIES_PER_CALL}), in a cluster one pipeline of
   * EVALSHAs per node (a NOSCRIPT on a fresh node after a failover leaves that one unsettled,
   * after the script is loaded again). Settles into {@code results} and {@code settled}.
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
        List<Object> redisKeys = new ArrayList<>(chunk.size());
        List<Object> arguments = new ArrayList<>(chunk.size() * EntryScript.ARGUMENTS);
        for (int index : chunk) {
          redisKeys.add(keys.redisKey(keyList.get(index)));
          arguments.addAll(List.of(arguments(commands[index])));
        }
        List<Object> reply = script.eval((String) redisKeys.get(0), RScript.Mode.READ_WRITE,
            LuaScript.ENTRY.source(), RScript.ReturnType.LIST, redisKeys, arguments.toArray());
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
    RBatch batch = RedisFailures.batchSentOnce(client);
    RScriptAsync batchScript = batch.getScript(ByteArrayCodec.INSTANCE);
    List<RFuture<List<Object>>> replies = new ArrayList<>(Collections.nCopies(size, null));
    String sha = entrySha();
    for (int i = 0; i < size; i++) {
      if (!settled[i] && commands[i] != null) {
        String redisKey = keys.redisKey(keyList.get(i));
        replies.set(i, batchScript.evalShaAsync(redisKey, RScript.Mode.READ_WRITE, sha,
            RScript.ReturnType.LIST, List.of(redisKey), arguments(commands[i])));
      }
    }
    if (replies.stream().anyMatch(Objects::nonNull)) {
      try {
        batch.execute();
      } catch (RuntimeException e) {
        // Individual failures are looked at below; a command that failed ran nothing.
      }
    }
    for (int i = 0; i < size; i++) {
      RFuture<List<Object>> reply = replies.get(i);
      if (reply == null) {
        continue;
      }
      List<Object> value;
      try {
        value = reply.toCompletableFuture().join();
      } catch (RuntimeException e) {
        if (RedisFailures.isNoScript(e)) {
          entrySha = null;
          continue;
        }
        throw e;
      }
      settleInto(EntryScript.reply(value, 0), keyList, actions, i, results, settled);
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

  /** The SHA of entry.lua, loaded on every master (again after a NOSCRIPT). */
  private String entrySha() {
    String sha = entrySha;
    if (sha == null) {
      sha = script.scriptLoad(LuaScript.ENTRY.source());
      entrySha = sha;
    }
    return sha;
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
