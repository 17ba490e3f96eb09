package io.github.cachelayer.store.redis;

import io.github.cachelayer.codec.CodecException;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.event.EventSource;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.EntryCommand;
import io.github.cachelayer.store.ScriptableAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.util.Clock;
import io.github.cachelayer.internal.redisson.Redisson;
import io.github.cachelayer.internal.redisson.api.RBatch;
import io.github.cachelayer.internal.redisson.api.RFuture;
import io.github.cachelayer.internal.redisson.api.RScript;
import io.github.cachelayer.internal.redisson.api.RScriptAsync;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.codec.StringCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.internal.redisson.command.CommandAsyncExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's entries in Redis: one string key per entry ({@link KeyNames}, {@link EntryFormat}),
 * with Redis's own TTL set to the logical expiry time plus a retention margin, so that entries
 * nobody reads again are reclaimed by Redis itself, and a reader within the margin can still
 * report them as EXPIRED.
 *
 * <p>{@link #compute} reads the entry (GET), runs the action locally and writes its decision with
 * the {@code compare-and-set} script, which applies it only if the entry still holds the bytes
 * that were read; on a conflict (another JVM wrote in between) it reads and decides again. So
 * every decision is atomic across JVMs, entry processors included.
 *
 * <p>A value that cannot be decoded (a class changed incompatibly, or is not on the allow-list)
 * is treated as absent, with one WARN naming cache and key, or throws, as configured; writes over
 * it still compare against its real bytes.
 */
public final class RedisStore<K, V> implements Store<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
  private static final byte[] NONE = new byte[0];
  /** Conflicts a decision may meet before the operation gives up. */
  private static final int MAX_ATTEMPTS = 1_000;

  private final RedissonClient client;
  private final RScript script;
  private final String cacheName;
  private final KeyNames keys;
  private final ValueCodec codec;
  private final boolean missOnDecodeFailure;
  private final long retentionMillis;
  private final Clock clock;
  private final RedisEvents<K, V> events;
  /** Keys whose undecodable value was already reported, bounded in number and time. */
  private final com.github.benmanes.caffeine.cache.Cache<Object, Boolean> warnedKeys =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
          .expireAfterWrite(java.time.Duration.ofHours(1)).build();
  /** Outside a cluster, a bulk operation sends this many entries per entry.lua call. */
  private static final int ENTRIES_PER_SCRIPT = 500;
  private final boolean multiKeyScripts;
  /** How long a read-through load may hold its key's lease before others stop waiting. */
  private final long loadLeaseMillis = 10_000;

  /**
   * @param keyCodec writes keys that are not strings, Integers or Longs (usually {@code codec})
   * @param codec writes values
   * @param multiKeyScripts whether one script may touch keys of any slot (not in a cluster)
   */
  public RedisStore(RedissonClient client, String namespace, String cacheName, ValueCodec keyCodec,
      ValueCodec codec, boolean missOnDecodeFailure, long retentionMillis, Clock clock,
      boolean multiKeyScripts) {
    this.multiKeyScripts = multiKeyScripts;
    this.client = Objects.requireNonNull(client, "client");
    this.script = client.getScript(ByteArrayCodec.INSTANCE);
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.keys = new KeyNames(namespace, cacheName, keyCodec);
    this.missOnDecodeFailure = missOnDecodeFailure;
    this.retentionMillis = retentionMillis;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = RedisFailures.guard(cacheName,
        () -> new RedisEvents<>(client, namespace, cacheName, codec, keys));
  }

  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    return RedisFailures.guard(cacheName, () -> computeUnguarded(key, action));
  }

  @SuppressWarnings("unchecked")
  private <R> R computeUnguarded(K key, EntryAction<V, R> action) {
    String redisKey = keys.redisKey(key);
    if (action instanceof ScriptableAction<?> scriptable) {
      EntryCommand<V> command = ((ScriptableAction<V>) scriptable).command();
      if (command != null && command.isBlindWrite() && events.channelIfListened() == null) {
        java.time.Duration ttl = ttl(command);
        if (ttl == null) {
          bucket(redisKey).set(blindWrite(command));
        } else {
          bucket(redisKey).set(blindWrite(command), ttl);
        }
        return settleBlind(action);
      }
      if (command != null) {
        Object[] settled = runCommand(redisKey, key, command, action);
        if (settled != null) {
          return (R) settled[0];
        }
      }
    }
    return readDecideWrite(redisKey, key, action);
  }

  /**
   * Runs a command with {@code entry.lua} (one round trip), then the action on the entry as the
   * script found it, for the result, events and counters. Returns {result}, or null when the
   * Java decision wants a change the script did not make (such as {@code equals()} finding equal
   * values whose bytes differ): the script changed nothing then, and the caller decides again by
   * compare-and-set.
   */
  private <R> Object[] runCommand(String redisKey, K key, EntryCommand<V> command,
      EntryAction<V, R> action) {
    List<Object> reply = script.eval(redisKey, RScript.Mode.READ_WRITE, LuaScript.ENTRY.source(),
        RScript.ReturnType.LIST, List.of(redisKey), arguments(command));
    return settle(reply, key, action);
  }

  /** The ARGV of {@code entry.lua} for a command (see the script's header). */
  private Object[] arguments(EntryCommand<V> command) {
    String channel = events.channelIfListened();
    return new Object[] {
        ascii(CONDITIONS[command.condition().ordinal()]),
        ascii(EFFECTS[command.effect().ordinal()]),
        command.value() == null ? NONE : codec.encode(command.value()),
        ascii(Long.toString(command.now())),
        ascii(Long.toString(command.durations().creation())),
        ascii(Long.toString(command.durations().update())),
        ascii(Long.toString(command.durations().access())),
        ascii(Long.toString(retentionMillis)),
        command.expected() == null ? NONE : codec.encode(command.expected()),
        ascii(command.needsPrevious() ? "1" : "0"),
        channel == null ? NONE : ascii(channel),
        channel == null ? NONE : ascii(events.origin())};
  }

  private io.github.cachelayer.internal.redisson.api.RBucket<byte[]> bucket(String redisKey) {
    return client.getBucket(redisKey, ByteArrayCodec.INSTANCE);
  }

  /** The entry a blind write stores (see {@link EntryCommand#isBlindWrite()}). */
  private byte[] blindWrite(EntryCommand<V> command) {
    return EntryFormat.encode(codec.encode(command.value()), blindExpireAt(command));
  }

  /** As entry.lua computes it: a time past what the header can hold is eternal. */
  private static long blindExpireAt(EntryCommand<?> command) {
    long creation = command.durations().creation();
    return creation == EntryCommand.Durations.ETERNAL
        || creation >= EntryFormat.ETERNAL_DIGITS - command.now()
        ? StoredEntry.ETERNAL : command.now() + creation;
  }

  /** Redis's TTL for a blind write; null for an eternal entry (a SET without PX). */
  private java.time.Duration ttl(EntryCommand<V> command) {
    long expireAt = blindExpireAt(command);
    return expireAt == StoredEntry.ETERNAL ? null
        : java.time.Duration.ofMillis(expireAt - command.now() + retentionMillis);
  }

  /**
   * After a blind write the action runs as on an absent entry: its result, counters and (absent)
   * events are the same either way, which is what made the write blind.
   */
  private static <V, R> R settleBlind(EntryAction<V, R> action) {
    R result = action.apply(null, new Mutation<>());
    action.onCommit();
    return result;
  }

  /** Runs the action on the pre-image the script returned; null when it must decide again. */
  private <R> Object[] settle(List<Object> reply, K key, EntryAction<V, R> action) {
    char state = (char) ((byte[]) reply.get(0))[0];
    char effect = (char) ((byte[]) reply.get(1))[0];
    long previousExpiry = Long.parseLong(new String((byte[]) reply.get(2), StandardCharsets.US_ASCII));
    if (previousExpiry == EntryFormat.ETERNAL_DIGITS) {
      previousExpiry = StoredEntry.ETERNAL;
    }
    byte[] previous = (byte[]) reply.get(3);
    StoredEntry<V> preImage = switch (state) {
      case 'L' -> preImage(key, previous, previousExpiry);
      case 'X' -> preImage(key, previous, 0L);
      default -> null;
    };
    Mutation<V> mutation = new Mutation<>();
    R result = action.apply(preImage, mutation);
    boolean scriptChangedNothing = effect == 'K' || effect == 'T';
    boolean javaWantsChange = mutation.kind() == Mutation.Kind.WRITE
        || mutation.kind() == Mutation.Kind.REMOVE && state == 'L';
    if (scriptChangedNothing && javaWantsChange) {
      return null;
    }
    action.onCommit();
    return new Object[] {result};
  }

  /**
   * Sends the scriptable decisions together, one pipeline per node, and the others one by one.
   * A command that found its script missing (a fresh node after a failover) ran nothing; the
   * script is loaded and that decision taken again on its own.
   */
  @Override
  public <R> List<R> computeAll(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions) {
    return RedisFailures.guard(cacheName, () -> computeAllUnguarded(keyList, actions));
  }

  @SuppressWarnings("unchecked")
  private <R> List<R> computeAllUnguarded(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions) {
    EntryCommand<V>[] commands = commandsOf(actions);
    if (multiKeyScripts) {
      return computeAllInScripts(keyList, actions, commands);
    }
    int size = keyList.size();
    Object[] results = new Object[size];
    boolean[] settled = writeBlind(keyList, actions, commands, results);
    RBatch batch = client.createBatch();
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
        if (String.valueOf(e.getMessage()).contains("NOSCRIPT")) {
          entrySha = null;
          continue;
        }
        throw e;
      }
      Object[] result = settle(value, keyList.get(i), actions.get(i));
      if (result != null) {
        results[i] = result[0];
        settled[i] = true;
      }
    }
    for (int i = 0; i < size; i++) {
      if (!settled[i]) {
        results[i] = compute(keyList.get(i), actions.get(i));
      }
    }
    List<R> list = new ArrayList<>(size);
    for (Object result : results) {
      list.add((R) result);
    }
    return list;
  }

  /**
   * Outside a cluster: the scriptable decisions go to entry.lua several keys per call (one round
   * trip, one script run for up to {@link #ENTRIES_PER_SCRIPT} entries instead of one each); the
   * others, and any the Java decision disagrees with, are decided one by one.
   */
  @SuppressWarnings("unchecked")
  private <R> List<R> computeAllInScripts(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions, EntryCommand<V>[] commands) {
    int size = keyList.size();
    Object[] results = new Object[size];
    boolean[] settled = writeBlind(keyList, actions, commands, results);
    List<Integer> chunk = new ArrayList<>();
    for (int i = 0; i <= size; i++) {
      if (i < size && !settled[i] && commands[i] != null) {
        chunk.add(i);
      }
      if (!chunk.isEmpty() && (i == size || chunk.size() == ENTRIES_PER_SCRIPT)) {
        List<Object> redisKeys = new ArrayList<>(chunk.size());
        List<Object> arguments = new ArrayList<>(chunk.size() * 12);
        for (int index : chunk) {
          redisKeys.add(keys.redisKey(keyList.get(index)));
          arguments.addAll(List.of(arguments(commands[index])));
        }
        List<Object> reply = script.eval((String) redisKeys.get(0), RScript.Mode.READ_WRITE,
            LuaScript.ENTRY.source(), RScript.ReturnType.LIST, redisKeys, arguments.toArray());
        for (int n = 0; n < chunk.size(); n++) {
          int index = chunk.get(n);
          Object[] result = settle(reply.subList(4 * n, 4 * n + 4), keyList.get(index),
              actions.get(index));
          if (result != null) {
            results[index] = result[0];
            settled[index] = true;
          }
        }
        chunk.clear();
      }
    }
    List<R> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(settled[i] ? (R) results[i] : compute(keyList.get(i), actions.get(i)));
    }
    return list;
  }

  /** Each action's command form, built once per bulk call (null where it must run as Java). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private EntryCommand<V>[] commandsOf(List<? extends EntryAction<V, ?>> actions) {
    EntryCommand<V>[] commands = new EntryCommand[actions.size()];
    for (int i = 0; i < commands.length; i++) {
      if (actions.get(i) instanceof ScriptableAction<?> scriptable) {
        commands[i] = ((ScriptableAction<V>) scriptable).command();
      }
    }
    return commands;
  }

  /**
   * Writes the blind writes among the actions (see {@link EntryCommand#isBlindWrite()}) without
   * reading: outside a cluster eternal entries go in MSETs, the rest as SETs in one pipeline (one
   * per node in a cluster). Returns which actions it settled.
   */
  private <R> boolean[] writeBlind(List<? extends K> keyList,
      List<? extends EntryAction<V, R>> actions, EntryCommand<V>[] commands, Object[] results) {
    int size = keyList.size();
    boolean[] blind = new boolean[size];
    if (events.channelIfListened() != null) {
      return blind;
    }
    Map<String, byte[]> eternal = new LinkedHashMap<>();
    RBatch batch = null;
    for (int i = 0; i < size; i++) {
      EntryCommand<V> command = commands[i];
      if (command == null || !command.isBlindWrite()) {
        continue;
      }
      blind[i] = true;
      String redisKey = keys.redisKey(keyList.get(i));
      java.time.Duration ttl = ttl(command);
      if (ttl == null && multiKeyScripts) {
        eternal.put(redisKey, blindWrite(command));
        if (eternal.size() == ENTRIES_PER_SCRIPT) {
          client.getBuckets(ByteArrayCodec.INSTANCE).set(eternal);
          eternal.clear();
        }
        continue;
      }
      batch = batch == null ? client.createBatch() : batch;
      var bucket = batch.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE);
      if (ttl == null) {
        bucket.setAsync(blindWrite(command));
      } else {
        bucket.setAsync(blindWrite(command), ttl);
      }
    }
    if (!eternal.isEmpty()) {
      client.getBuckets(ByteArrayCodec.INSTANCE).set(eternal);
    }
    if (batch != null) {
      batch.execute();
    }
    for (int i = 0; i < size; i++) {
      if (blind[i]) {
        results[i] = settleBlind(actions.get(i));
      }
    }
    return blind;
  }

  private volatile String entrySha;

  /** The SHA of entry.lua, loaded on every master (again after a NOSCRIPT). */
  private String entrySha() {
    String sha = entrySha;
    if (sha == null) {
      sha = script.scriptLoad(LuaScript.ENTRY.source());
      entrySha = sha;
    }
    return sha;
  }

  /** GETs sent together, one pipeline per node. */
  @Override
  public Map<K, StoredEntry<V>> readAll(Collection<? extends K> keyList) {
    return RedisFailures.guard(cacheName, () -> readAllUnguarded(keyList));
  }

  private Map<K, StoredEntry<V>> readAllUnguarded(Collection<? extends K> keyList) {
    if (multiKeyScripts) {
      return readAllByMget(keyList);
    }
    RBatch batch = client.createBatch();
    Map<K, RFuture<byte[]>> replies = new LinkedHashMap<>();
    for (K key : keyList) {
      replies.put(key, batch.<byte[]>getBucket(keys.redisKey(key), ByteArrayCodec.INSTANCE)
          .getAsync());
    }
    if (!replies.isEmpty()) {
      batch.execute();
    }
    Map<K, StoredEntry<V>> found = new HashMap<>();
    replies.forEach((key, reply) -> {
      StoredEntry<V> entry = decode(reply.toCompletableFuture().join(), key);
      if (entry != null) {
        found.put(key, entry);
      }
    });
    return found;
  }

  /**
   * Outside a cluster: MGET, up to {@link #ENTRIES_PER_SCRIPT} keys per command, its reply read
   * as the list it is (Redisson's map-shaped {@code RBuckets.get} costs a map per call).
   */
  @SuppressWarnings("unchecked")
  private Map<K, StoredEntry<V>> readAllByMget(Collection<? extends K> keyList) {
    List<K> all = new ArrayList<>(keyList);
    Map<K, StoredEntry<V>> found = new HashMap<>(Math.max(16, all.size() * 4 / 3 + 1));
    CommandAsyncExecutor executor = ((Redisson) client).getCommandExecutor();
    for (int from = 0; from < all.size(); from += ENTRIES_PER_SCRIPT) {
      int to = Math.min(all.size(), from + ENTRIES_PER_SCRIPT);
      Object[] redisKeys = new Object[to - from];
      for (int i = from; i < to; i++) {
        redisKeys[i - from] = keys.redisKey(all.get(i));
      }
      List<Object> replies = executor.get(executor.<List<Object>, List<Object>>readAsync(
          (String) redisKeys[0], ByteArrayCodec.INSTANCE, RedisCommands.MGET, redisKeys));
      for (int i = from; i < to; i++) {
        StoredEntry<V> entry = decode((byte[]) replies.get(i - from), all.get(i));
        if (entry != null) {
          found.put(all.get(i), entry);
        }
      }
    }
    return found;
  }

  private static final String[] CONDITIONS = {"*", "A", "P", "E"};
  private static final String[] EFFECTS = {"W", "R", "T", "K"};
  /** Shown to an action that said it does not read the previous value. */
  private static final Object UNREAD = new Object() {
    @Override
    public String toString() {
      return "<previous value not read>";
    }
  };

  @SuppressWarnings("unchecked")
  private StoredEntry<V> preImage(K key, byte[] payload, long expireAt) {
    if (payload.length == 0) {
      return new StoredEntry<>((V) UNREAD, expireAt);
    }
    V value = decodePayload(payload, 0, key);
    return value == null ? null : new StoredEntry<>(value, expireAt);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** The general path: GET, decide in Java, compare-and-set; again on conflict. */
  private <R> R readDecideWrite(String redisKey, K key, EntryAction<V, R> action) {
    for (int attempt = 1; ; attempt++) {
      byte[] raw = read(redisKey);
      StoredEntry<V> current = decode(raw, key);
      Mutation<V> mutation = new Mutation<>();
      R result = action.apply(current, mutation);
      byte[] next;
      long expireAt;
      switch (mutation.kind()) {
        case KEEP -> {
          action.onCommit();
          return result;
        }
        case WRITE -> {
          expireAt = mutation.expireAt();
          next = EntryFormat.encode(codec.encode(mutation.value()), expireAt);
        }
        case TOUCH -> {
          if (raw == null) {
            action.onCommit();
            return result;
          }
          expireAt = mutation.expireAt();
          next = EntryFormat.withExpireAt(raw, expireAt);
        }
        default -> {
          expireAt = 0;
          next = NONE;
        }
      }
      if (compareAndSet(redisKey, raw, next, expireAt, action)) {
        action.onCommit();
        return result;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new CacheException("Gave up on a key of cache '" + cacheName + "' after "
            + attempt + " conflicting concurrent updates");
      }
      backOff(attempt);
    }
  }

  private static void backOff(int attempt) {
    if (attempt > 3) {
      long maxMicros = Math.min(1_000, 10L << Math.min(attempt, 10));
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMicros) * 1_000);
    } else {
      Thread.onSpinWait();
    }
  }

  private byte[] read(String redisKey) {
    return bucket(redisKey).get();
  }

  @SuppressWarnings("unchecked")
  private boolean compareAndSet(String redisKey, byte[] expected, byte[] next, long expireAt,
      EntryAction<V, ?> action) {
    byte[] channel = NONE;
    byte[] message = NONE;
    String listened = events.channelIfListened();
    if (listened != null && action instanceof EventSource<?, ?> source
        && !source.events().isEmpty()) {
      channel = listened.getBytes(StandardCharsets.UTF_8);
      message = events.encode(((EventSource<K, V>) source).events());
    }
    Long applied = script.eval(redisKey, RScript.Mode.READ_WRITE,
        LuaScript.COMPARE_AND_SET.source(), RScript.ReturnType.LONG,
        List.of(redisKey), expected == null ? NONE : expected, next, ttlArgument(expireAt),
        channel, message);
    return applied != null && applied == 1L;
  }

  @Override
  public void onRemoteEvents(Consumer<List<PendingEvent<K, V>>> sink) {
    events.onRemoteEvents(sink);
  }

  /**
   * {@code SET <ns>::lease:<cache>:<key> <token> NX PX <lease>}: the holder loads; the others poll
   * until the lease is gone (released, or lapsed because its holder died) and then read what the
   * holder wrote. Released with a compare-and-delete, so a late holder never frees another's.
   */
  @Override
  public boolean coordinatesLoads() {
    return true;
  }

  @Override
  public Lease leaseForLoad(K key) {
    return RedisFailures.guard(cacheName, () -> leaseUnguarded(key));
  }

  private Lease leaseUnguarded(K key) {
    String leaseKey = keys.leaseKey(key);
    String token = UUID.randomUUID().toString();
    var bucket = client.<String>getBucket(leaseKey, StringCodec.INSTANCE);
    long deadline = System.nanoTime() + 2 * loadLeaseMillis * 1_000_000L;
    while (true) {
      if (bucket.setIfAbsent(token, java.time.Duration.ofMillis(loadLeaseMillis))) {
        return () -> RedisFailures.guard(cacheName, () -> bucket.compareAndSet(token, null));
      }
      boolean released = false;
      while (!released && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000L);
        released = !bucket.isExists();
      }
      if (released) {
        return Lease.NONE; // the holder has written (or failed): read again, load if still absent
      }
      // The holder seems stuck past two lease times: load without the lease rather than wait on.
      if (System.nanoTime() >= deadline) {
        return Lease.NONE;
      }
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

  /** Redis's TTL: until the logical expiry plus the retention margin; '0' means none. */
  private byte[] ttlArgument(long expireAt) {
    if (expireAt == StoredEntry.ETERNAL || expireAt == 0) {
      return "0".getBytes(StandardCharsets.US_ASCII);
    }
    long ttl = Math.max(1, expireAt - clock.millis() + retentionMillis);
    return Long.toString(ttl).getBytes(StandardCharsets.US_ASCII);
  }

  private StoredEntry<V> decode(byte[] raw, Object key) {
    if (raw == null) {
      return null;
    }
    if (!EntryFormat.isValid(raw)) {
      return undecodable(key, new CodecException("not a CacheLayer entry (foreign or newer format)"));
    }
    V value = decodePayload(raw, EntryFormat.HEADER, key);
    return value == null ? null : new StoredEntry<>(value, EntryFormat.expireAt(raw));
  }

  /** The value of a payload, or null (after one WARN) when it cannot be decoded and may miss. */
  @SuppressWarnings("unchecked")
  private V decodePayload(byte[] bytes, int offset, Object key) {
    try {
      return (V) codec.decode(bytes, offset);
    } catch (CodecException | IllegalArgumentException e) {
      undecodable(key, e);
      return null;
    }
  }

  /** A miss with one WARN naming cache and key, or a CodecException, as the cache says. */
  private StoredEntry<V> undecodable(Object key, RuntimeException e) {
    if (!missOnDecodeFailure) {
      throw new CodecException("Cannot decode the value of key '" + key + "' in cache '"
          + cacheName + "': " + e.getMessage(), e);
    }
    // One WARN per key: during a rolling deploy the same values are read again and again.
    if (warnedKeys.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
      LOG.warn("Cache '{}': the value of key '{}' cannot be decoded and is treated as absent "
          + "(logged once per key): {}", cacheName, key, e.getMessage());
    }
    return null;
  }

  @Override
  public StoredEntry<V> peek(K key) {
    StoredEntry<V> entry = read(key);
    return entry == null || entry.isExpired(clock) ? null : entry;
  }

  @Override
  public StoredEntry<V> read(K key) {
    return RedisFailures.guard(cacheName, () -> decode(read(keys.redisKey(key)), key));
  }

  /** SCAN with this cache's own pattern on every master: never KEYS, never other caches' keys. */
  @Override
  @SuppressWarnings("unchecked")
  public Iterator<K> keys() {
    List<K> result = new ArrayList<>();
    for (String redisKey : scan()) {
      try {
        result.add((K) keys.cacheKey(redisKey));
      } catch (RuntimeException e) {
        LOG.warn("Cache '{}': skipping key {} that cannot be decoded: {}", cacheName, redisKey,
            e.getMessage());
      }
    }
    return result.iterator();
  }

  private List<String> scan() {
    return RedisFailures.guard(cacheName, () -> client.getKeys()
        .getKeysStreamByPattern(keys.pattern(), 1_000).collect(Collectors.toList()));
  }

  @Override
  public void clear() {
    List<String> all = scan();
    for (int from = 0; from < all.size(); from += 1_000) {
      List<String> batch = all.subList(from, Math.min(all.size(), from + 1_000));
      RedisFailures.guard(cacheName, () -> client.getKeys().unlink(batch.toArray(String[]::new)));
    }
  }

  @Override
  public long estimatedSize() {
    return scan().size();
  }

  @Override
  public void close() {
    // The client belongs to the CacheManager; the entries stay in Redis.
    events.close();
  }

  @Override
  public String toString() {
    return "RedisStore[" + keys.prefix() + "]";
  }
}
