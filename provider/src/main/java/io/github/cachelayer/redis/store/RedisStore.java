package io.github.cachelayer.redis.store;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.internal.redisson.client.RedisException;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.redis.link.CallBudget;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.redis.outage.CircuitBreaker;
import io.github.cachelayer.redis.outage.ConnectionLosses;
import io.github.cachelayer.redis.outage.RecentWrites;
import io.github.cachelayer.redis.outage.RedisFailures;
import io.github.cachelayer.redis.outage.UnsettledKeys;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.WaitNeeded;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.ProcessorCommand;
import io.github.cachelayer.store.command.ScriptableAction;
import io.github.cachelayer.util.Clock;
import io.github.cachelayer.util.Futures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's entries in Redis: one string key per entry ({@link KeyNames}, {@link EntryFormat}),
 * with Redis's own TTL set to the logical expiry time plus a retention margin, so that entries
 * nobody reads again are reclaimed by Redis itself, and a reader within the margin can still
 * report them as EXPIRED.
 *
 * <p>{@link #compute} chooses the cheapest path that keeps the decision atomic across JVMs: a
 * blind write ({@link BlindWrites}) when the outcome cannot depend on the entry and nobody
 * listens; the decision as an {@code entry.lua} command ({@link EntryCommands}) when the action
 * offers one; otherwise read, decide in Java and compare-and-set ({@link CompareAndSetLoop}).
 * Bulk operations do the same per node ({@link BulkReads}, {@link EntryCommands#runAll}).
 *
 * <p>A value that cannot be decoded is absent with one WARN, or throws, as configured
 * ({@link EntryDecoder}); writes over it still compare against its real bytes.
 */
public final class RedisStore<K, V> implements Store<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
  /** Outside a cluster, a bulk operation sends this many entries per command or script call. */
  static final int ENTRIES_PER_CALL = 500;
  /** Stands for a value of another type than string: not CacheLayer's, so undecodable. */
  static final byte[] FOREIGN = {'?'};

  private final RedisLink link;
  private final String cacheName;
  private final KeyNames keys;
  private final Clock clock;
  private final boolean multiKeyScripts;
  /** Keys found in Redis that are not of this type are skipped (someone else's bytes). */
  private final Class<?> keyType;
  private final RedisEvents<K, V> events;
  private final EntryDecoder<V> decoder;
  private final BlindWrites<K, V> blindWrites;
  private final EntryCommands<K, V> commands;
  private final CompareAndSetLoop<K, V> compareAndSet;
  private final BulkReads<K, V> bulkReads;
  private final LoadLease leases;
  /** The helpers' scripts; null when the codec does not write their records (encryption). */
  private final ServerProcessors<K, V> processorScripts;
  /** Keys whose operation failed while Redis was unreachable: deleted before anything else. */
  private final UnsettledKeys unsettled;
  /** Keys written lately, settled too when Redis fails: a crash or failover may lose them. */
  private final RecentWrites recentWrites;
  private final ConnectionLosses losses;
  private final Runnable onConnectionLoss = this::settleRecentWrites;
  private final CircuitBreaker breaker;
  /** Whether an undecodable value throws (rather than reading as absent). */
  private final boolean throwOnDecodeFailure;

  /**
   * A store with the defaults of {@link RedisStoreOptions#defaults}, no circuit breaker and its
   * own connection-loss listener (tests).
   *
   * @param keyCodec writes keys that are not strings, Integers or Longs (usually {@code codec})
   * @param codec writes values
   */
  public RedisStore(RedissonClient client, RedisLink link, String namespace, String cacheName,
      ValueCodec keyCodec, ValueCodec codec, Clock clock, RedisStoreOptions options) {
    this(client, link, namespace, cacheName, keyCodec, codec, clock, CircuitBreaker.disabled(),
        new ConnectionLosses(), null, options);
  }

  /**
   * @param client the Redis client, for the events between JVMs (pub/sub)
   * @param link every other command goes through it
   * @param breaker the circuit breaker of the Redis client, shared by its caches
   * @param losses tells the store when a connection to a master was lost
   * @param processors runs the processors this store's codec has scripts for; null for none
   */
  public RedisStore(RedissonClient client, RedisLink link, String namespace, String cacheName,
      ValueCodec keyCodec, ValueCodec codec, Clock clock, CircuitBreaker breaker,
      ConnectionLosses losses, ServerProcessors.Factory processors, RedisStoreOptions options) {
    Objects.requireNonNull(client, "client");
    this.link = Objects.requireNonNull(link, "link");
    this.breaker = Objects.requireNonNull(breaker, "breaker");
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(codec, "codec");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.multiKeyScripts = options.multiKeyScripts();
    this.keyType = options.keyType();
    long retentionMillis = options.retentionMillis();
    this.keys = new KeyNames(namespace, cacheName, keyCodec);
    this.events = RedisFailures.guard(cacheName, () -> new RedisEvents<>(client, namespace,
        cacheName, codec, keys, options.listenerLeaseMillis(), options.maxValueSize(),
        options.valueType()));
    this.decoder = new EntryDecoder<>(cacheName, codec, keys, options.missOnDecodeFailure(),
        options.maxValueSize(), options.valueType());
    this.throwOnDecodeFailure = !options.missOnDecodeFailure();
    this.blindWrites = new BlindWrites<>(link, keys, codec, retentionMillis, multiKeyScripts);
    this.commands = new EntryCommands<>(link, keys, codec, decoder, events, retentionMillis);
    this.compareAndSet = new CompareAndSetLoop<>(link, keys, cacheName, codec, decoder, events,
        retentionMillis, clock);
    this.bulkReads = new BulkReads<>(link, keys, decoder, multiKeyScripts);
    this.leases = new LoadLease(link, cacheName);
    this.unsettled = new UnsettledKeys(link, cacheName, this::clear);
    this.recentWrites = new RecentWrites(
        java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(options.lostWriteWindowMillis()));
    this.losses = losses;
    losses.register(onConnectionLoss);
    this.processorScripts = processors == null ? null : processors.forStore(commands);
  }

  /**
   * The budget of one call: its settling, its commands and their retries share the bound
   * ({@link CallBudget}).
   */
  private CallBudget.Scope call() {
    return CallBudget.open(link.settings().boundNanos());
  }

  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    String redisKey = keys.redisKey(key);
    try (CallBudget.Scope scope = call()) {
      settleFirst();
      if (!action.isPlainRead()) {
        recentWrites.add(redisKey);
      }
      return guard(() -> computeUnguarded(redisKey, key, action));
    } catch (CacheException e) {
      if (!action.isPlainRead()) {
        remember(e, List.of(redisKey));
      }
      throw e;
    }
  }

  /**
   * Keys whose writes or removals were refused before this store existed (Redis not reached
   * since start-up), or the whole cache: deleted before this store serves anything.
   */
  public void settleBeforeUse(Collection<? extends K> refused, boolean clearAll) {
    if (clearAll) {
      unsettled.clearOnRecovery();
    } else if (!refused.isEmpty()) {
      unsettled.add(refused.stream().map(keys::redisKey).toList());
    }
  }

  /** A connection to a master was lost: recent writes may be lost too. */
  private void settleRecentWrites() {
    recentWrites.settleAfterFailure(unsettled, System.nanoTime());
  }

  /** Every call to Redis goes through here: translated failures, behind the circuit breaker. */
  private <T> T guard(java.util.function.Supplier<T> call) {
    try {
      return RedisFailures.guard(cacheName, breaker, call);
    } catch (RedisUnavailableException e) {
      // Redis failed: what it acknowledged before the failure was noticed may be lost too. A
      // call the breaker refused sent nothing and tells nothing new (and during an outage every
      // write records its key first, so sweeping for each refusal would scan the ring each time).
      if (RedisFailures.mayHaveReachedRedis(e)) {
        recentWrites.settleAfterFailure(unsettled, RedisFailures.noticedNanos(e));
      }
      throw e;
    }
  }

  /** Deletes what failed writes may have left, before this store serves anything again. */
  private void settleFirst() {
    if (!unsettled.isEmpty()) {
      guard(() -> {
        unsettled.settle();
        return null;
      });
    }
  }

  /**
   * A failure of Redis (not of the application's code) leaves these keys unsettled, even when
   * it came from settling earlier ones: the operation was not applied, or not known to be.
   */
  private void remember(CacheException failure, Collection<String> redisKeys) {
    if (RedisFailures.isRedisFailure(failure)) {
      unsettled.add(redisKeys);
    }
  }

  @SuppressWarnings("unchecked")
  private <R> R computeUnguarded(String redisKey, K key, EntryAction<V, R> action) {
    EntryCommand<V> command = commandOf(action);
    if (command != null && command.isBlindWrite() && !othersListen()) {
      return blindWrites.write(redisKey, command, action);
    }
    ProcessorCommand processor = serverProcessorOf(action);
    if (processor != null && !othersListen()) {
      Object[] settled = processorScripts.run(redisKey, key, processor, action);
      if (settled != null) {
        return (R) settled[0];
      }
    }
    if (command != null) {
      Object[] settled = commands.run(redisKey, key, command, action);
      if (settled != null) {
        return (R) settled[0];
      }
    }
    return compareAndSet.run(redisKey, key, action);
  }

  /**
   * Blind writes first, then the scriptable decisions together, then the others (and any the
   * script left to Java) one by one.
   */
  @Override
  public <R> List<R> computeAll(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions) {
    try (CallBudget.Scope scope = call()) {
      settleFirst();
      for (int i = 0; i < keyList.size(); i++) {
        if (!actions.get(i).isPlainRead()) {
          recentWrites.add(keys.redisKey(keyList.get(i)));
        }
      }
      return computeAllGuarded(keyList, actions);
    } catch (CacheException e) {
      remember(e, keyList.stream().map(keys::redisKey).toList());
      throw e;
    }
  }

  private <R> List<R> computeAllGuarded(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions) {
    return guard(() -> {
      EntryCommand<V>[] scriptable = commandsOf(actions);
      Object[] results = new Object[keyList.size()];
      boolean[] settled = othersListen() ? new boolean[keyList.size()]
          : blindWrites.writeAll(keyList, actions, scriptable, results);
      commands.runAll(keyList, actions, scriptable, results, settled, multiKeyScripts);
      return EntryCommands.finish(keyList, actions, results, settled, this::compute);
    });
  }

  /** The action's decision as a command the store runs on the server, or null. */
  @SuppressWarnings("unchecked")
  private EntryCommand<V> commandOf(EntryAction<V, ?> action) {
    return action instanceof ScriptableAction<?> scriptable
        ? asScript(((ScriptableAction<V>) scriptable).command()) : null;
  }

  /** The action's entry processor when the helpers' scripts run it on the server, or null. */
  private ProcessorCommand serverProcessorOf(EntryAction<V, ?> action) {
    if (processorScripts == null || !(action instanceof ScriptableAction<?> scriptable)) {
      return null;
    }
    ProcessorCommand processor = scriptable.processorCommand();
    return processor != null && processorScripts.runs(processor.processor()) ? processor : null;
  }

  /**
   * The command, or null where it must run as read, decide, compare-and-set: a script that
   * changes the entry applies its write before the client decodes the previous value, so under
   * {@code on-decode-failure = throw} a getAndPut over a corrupt value would throw and still have
   * written. Decoding first throws before anything is written.
   */
  private EntryCommand<V> asScript(EntryCommand<V> command) {
    if (command != null && throwOnDecodeFailure && command.needsPrevious()
        && command.effect() != EntryCommand.Effect.KEEP) {
      return null;
    }
    return command;
  }

  /** Each action's command form, built once per bulk call (null where it must run as Java). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private EntryCommand<V>[] commandsOf(List<? extends EntryAction<V, ?>> actions) {
    EntryCommand<V>[] result = new EntryCommand[actions.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = commandOf(actions.get(i));
    }
    return result;
  }

  @Override
  public Map<K, StoredEntry<V>> readAll(Collection<? extends K> keyList) {
    try (CallBudget.Scope scope = call()) {
      settleFirst();
      return guard(() -> bulkReads.readAll(keyList));
    }
  }

  @Override
  public StoredEntry<V> peek(K key) {
    StoredEntry<V> entry = read(key);
    return entry == null || entry.isExpired(clock) ? null : entry;
  }

  @Override
  public StoredEntry<V> read(K key) {
    try (CallBudget.Scope scope = call()) {
      settleFirst();
      // A value of another type reads as foreign bytes: undecodable, as configured.
      return guard(() -> decoder.decode(BulkReads.get(link, keys.redisKey(key), FOREIGN), key));
    }
  }

  /**
   * GET sent without waiting, decoded as {@link #read} decodes. Null while keys wait to be
   * settled or the circuit breaker is open: {@code read} deals with those.
   */
  @Override
  public CompletableFuture<StoredEntry<V>> readWithoutWaiting(K key, Executor executor) {
    if (!unsettled.isEmpty() || breaker.isOpen()) {
      return null;
    }
    String redisKey = keys.redisKey(key);
    return link.<byte[]>readWithoutWaiting(redisKey, RedisCommands.GET, ByteArrayCodec.INSTANCE,
        redisKey).thenApplyAsync(bytes -> decoder.decode(bytes, key), executor);
  }

  /**
   * A decision sent without a thread waiting, then settled on {@code executor} as
   * {@link #compute} settles it: one command (a blind write's SET, or {@code entry.lua}), or
   * else one round of compare-and-set on a key this JVM does not contend for. Not while keys
   * wait to be settled, the breaker is open, or another JVM listens (its events): {@code compute}
   * handles those, and the helpers' server-side processors. A write left without an answer may
   * still run, so its key joins the unsettled ones: the caller's {@code compute} then deletes
   * it (once the connection that carried the write is fenced) before it writes again.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <R> CompletableFuture<R> computeWithoutWaiting(K key, EntryAction<V, R> action,
      Executor executor) {
    if (!unsettled.isEmpty() || breaker.isOpen() || othersListen()) {
      return null;
    }
    String redisKey = keys.redisKey(key);
    EntryCommand<V> command = commandOf(action);
    if (command == null) {
      if (serverProcessorOf(action) != null) {
        return null;
      }
      CompletableFuture<R> round = compareAndSet.attemptWithoutWaiting(redisKey, key, action,
          executor);
      if (round != null && !action.isPlainRead()) {
        recentWrites.add(redisKey);
      }
      return round == null ? null : round.exceptionally(failure -> {
        throw settleIfUnanswered(redisKey, failure);
      });
    }
    if (!action.isPlainRead()) {
      recentWrites.add(redisKey);
    }
    boolean blind = command.isBlindWrite();
    CompletableFuture<?> reply = blind ? blindWrites.sendWithoutWaiting(redisKey, command)
        : commands.sendWithoutWaiting(redisKey, command);
    return reply.exceptionally(failure -> {
      throw settleIfUnanswered(redisKey, failure);
    }).thenApplyAsync(answer -> {
      Object[] settled = blind ? new Object[] {BlindWrites.settle(action)}
          : commands.settle(EntryScript.reply((List<Object>) answer, 0), key, action);
      if (settled == null) {
        throw new WaitNeeded(null); // the Java decision wants what the script did not do
      }
      return (R) settled[0];
    }, executor);
  }

  /**
   * The {@link WaitNeeded} for a failed attempt's link failure; a write that may have run puts
   * its key among the unsettled ones. Anything else (the decision's own failure) is returned
   * as it is, to be thrown.
   */
  private RuntimeException settleIfUnanswered(String redisKey, Throwable failure) {
    Throwable cause = Futures.cause(failure);
    if (cause instanceof WaitNeeded waitNeeded) {
      return waitNeeded;
    }
    if (!(cause instanceof RedisException)
        && !(cause instanceof TimeoutException)) {
      return cause instanceof RuntimeException runtime ? runtime
          : new CompletionException(cause);
    }
    if (RedisLink.mayHaveRun(cause)) {
      unsettled.add(List.of(redisKey));
    }
    return new WaitNeeded(cause);
  }

  @Override
  public void onRemoteEvents(Consumer<List<PendingEvent<K, V>>> sink) {
    events.onRemoteEvents(sink);
  }

  @Override
  public boolean coordinatesLoads() {
    return true;
  }

  @Override
  public Lease leaseForLoad(K key) {
    try (CallBudget.Scope scope = call()) {
      return guard(() -> leases.acquire(keys.leaseKey(key)));
    }
  }

  @Override
  public boolean othersListen() {
    return events.channelIfListened() != null;
  }

  @Override
  public void localListenersChanged(int count) {
    RedisFailures.guard(cacheName, () -> events.localListenersChanged(count));
  }

  /** SCAN with this cache's own pattern on every master: never KEYS, never other caches' keys. */
  @Override
  @SuppressWarnings("unchecked")
  public Iterator<K> keys() {
    List<K> result = new ArrayList<>();
    for (String redisKey : scan()) {
      try {
        Object key = keys.cacheKey(redisKey);
        if (!keyType.isInstance(key)) {
          throw new IllegalArgumentException("a " + key.getClass().getName() + " where the "
              + "cache's keys are " + keyType.getName());
        }
        result.add((K) key);
      } catch (RuntimeException e) {
        LOG.warn("Cache '{}': skipping key {} that cannot be decoded: {}", cacheName, redisKey,
            e.getMessage());
      }
    }
    return result.iterator();
  }

  private List<String> scan() {
    try (CallBudget.Scope scope = call()) {
      return guard(() -> link.scan(keys.pattern(), 1_000));
    }
  }

  @Override
  public void clear() {
    try {
      List<String> all = scan();
      for (int from = 0; from < all.size(); from += 1_000) {
        List<String> batch = all.subList(from, Math.min(all.size(), from + 1_000));
        try (CallBudget.Scope scope = call()) {
          guard(() -> {
            link.unlink(batch);
            return null;
          });
        }
      }
    } catch (CacheException e) {
      if (RedisFailures.isRedisFailure(e)) {
        unsettled.clearOnRecovery(); // what it did not delete must not be read later
      }
      throw e;
    }
  }

  @Override
  public long estimatedSize() {
    return scan().size();
  }

  @Override
  public void close() {
    // The client belongs to the CacheManager; the entries stay in Redis.
    losses.unregister(onConnectionLoss);
    events.close();
    unsettled.close();
  }

  /** The cache key a Redis key of this cache names; throws if it cannot be decoded. */
  public Object cacheKeyOf(String redisKey) {
    return keys.cacheKey(redisKey);
  }

  /** What every Redis key of this cache starts with, and no other cache's does. */
  public String keyPrefix() {
    return keys.prefix();
  }

  @Override
  public String toString() {
    return "RedisStore[" + keys.prefix() + "]";
  }
}
