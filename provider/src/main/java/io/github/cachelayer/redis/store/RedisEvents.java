package io.github.cachelayer.redis.store;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.internal.redisson.api.RScoredSortedSet;
import io.github.cachelayer.internal.redisson.api.RTopic;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.codec.StringCodec;
import io.github.cachelayer.util.Background;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry events of one cache between JVMs.
 *
 * <ul>
 *   <li>{@code <namespace>::listening:<cache>} is a sorted set of the JVMs with listeners on the
 *       cache, each scored with the end of its lease; a JVM renews its lease every third of it
 *       while it listens, and the key expires with the last lease, so a JVM that dies stops
 *       counting when its lease ends and nothing is left behind. {@code <namespace>::control:<cache>}
 *       announces changes. Writers publish events only while some lease runs: no PUBLISH when
 *       nobody listens. While someone does, every JVM with the cache open also re-reads the set
 *       at each renewal period, and drops the lapsed leases it finds.</li>
 *   <li>{@code <namespace>::events:<cache>} carries the events, published by the compare-and-set
 *       script with the change itself, so subscribers see one key's events in commit order.
 *       A JVM subscribes while it has listeners of its own, and ignores its own messages (its
 *       listeners had those events already, synchronously where they asked to be).</li>
 * </ul>
 *
 * Known limits: a registration made while a write is in flight may miss that write's event; an
 * entry that Redis reclaims at its TTL without anyone reading it raises no EXPIRED event.
 */
final class RedisEvents<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEvents.class);
  private static final EventType[] TYPES = EventType.values();
  /** One byte per EventType, in its declaration order: CREATED, UPDATED, REMOVED, EXPIRED. */
  private static final String TYPE_CODES = "CURX";

  private final String cacheName;
  private final ValueCodec codec;
  private final long maxValueSize;
  private final Class<?> valueType;
  private final KeyNames keys;
  private final String origin = UUID.randomUUID().toString();
  private final RScoredSortedSet<String> listening;
  private final long leaseMillis;
  private final ScheduledFuture<?> renewal;
  private final RTopic control;
  private final RTopic events;
  private final String channel;
  private volatile boolean anyoneListens;
  private volatile Consumer<List<PendingEvent<K, V>>> sink;
  private int localListeners;
  private int eventSubscription = -1;
  private int controlSubscription = -1;

  RedisEvents(RedissonClient client, String namespace, String cacheName, ValueCodec codec,
      KeyNames keys, long leaseMillis) {
    this(client, namespace, cacheName, codec, keys, leaseMillis,
        RedisStoreOptions.DEFAULT_MAX_VALUE_SIZE, Object.class);
  }

  /**
   * @param maxValueSize the largest value an event may carry (others are dropped)
   * @param valueType the cache's value type: an event carrying another is dropped
   */
  RedisEvents(RedissonClient client, String namespace, String cacheName, ValueCodec codec,
      KeyNames keys, long leaseMillis, long maxValueSize, Class<?> valueType) {
    this.maxValueSize = maxValueSize;
    this.valueType = valueType;
    this.cacheName = cacheName;
    this.codec = codec;
    this.keys = keys;
    String ns = KeyNames.segment(namespace);
    String cache = KeyNames.segment(cacheName);
    this.listening = client.getScoredSortedSet(ns + "::listening:" + cache, StringCodec.INSTANCE);
    this.leaseMillis = leaseMillis;
    this.channel = ns + "::events:" + cache;
    this.control = client.getTopic(ns + "::control:" + cache, StringCodec.INSTANCE);
    this.events = client.getTopic(channel, ByteArrayCodec.INSTANCE);
    this.controlSubscription = control.addListener(String.class, (ch, message) -> refresh());
    refresh();
    long period = Math.max(100, leaseMillis / 3);
    this.renewal = Background.every(this::renewAndRefresh, period, period,
        TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    try {
      long now = System.currentTimeMillis();
      listening.removeRangeByScore(Double.NEGATIVE_INFINITY, true, (double) now, true);
      anyoneListens = listening.count((double) now, false, Double.POSITIVE_INFINITY, true) > 0;
    } catch (RuntimeException e) {
      anyoneListens = true; // unsure: publishing needlessly is better than losing events
      LOG.warn("Cache '{}': cannot read who listens: {}", cacheName, e.getMessage());
    }
  }

  /**
   * Renews this JVM's lease while it listens, and re-reads the set while someone listens (to see
   * a dead JVM's lease lapse). While nobody listens it sends nothing: a new registration is
   * announced on the control channel.
   */
  private synchronized void renewAndRefresh() {
    try {
      if (localListeners > 0) {
        renewLease();
      }
    } catch (RuntimeException e) {
      LOG.warn("Cache '{}': cannot renew this JVM's listener lease: {}", cacheName,
          e.getMessage());
    }
    if (anyoneListens) {
      refresh();
    }
  }

  private void renewLease() {
    listening.add((double) (System.currentTimeMillis() + leaseMillis), origin);
    listening.expire(java.time.Duration.ofMillis(leaseMillis));
  }

  /** The channel to publish on, or null while nobody listens anywhere. */
  String channelIfListened() {
    return anyoneListens ? channel : null;
  }

  void onRemoteEvents(Consumer<List<PendingEvent<K, V>>> sink) {
    this.sink = sink;
  }

  /**
   * This JVM's listener count for the cache changed: adjust its lease and subscription. A new
   * registration must reach Redis, or it fails and changes nothing; a removal that cannot reach
   * Redis only logs, as the lease then lapses by itself.
   */
  synchronized void localListenersChanged(int count) {
    int previous = localListeners;
    if (count == previous) {
      return;
    }
    if (count > previous) {
      boolean subscribedNow = false;
      try {
        if (eventSubscription < 0) {
          eventSubscription = events.addListener(byte[].class, (ch, message) -> receive(message));
          subscribedNow = true;
        }
        renewLease();
        control.publish("changed");
      } catch (RuntimeException e) {
        if (subscribedNow) {
          unsubscribe();
        }
        throw e;
      }
      localListeners = count;
    } else {
      localListeners = count;
      try {
        if (count == 0) {
          listening.remove(origin);
          unsubscribe();
        }
        control.publish("changed");
      } catch (RuntimeException e) {
        LOG.warn("Cache '{}': cannot tell Redis that this JVM's listeners are gone ({}); its "
            + "registration lapses within {} ms", cacheName, e.getMessage(), leaseMillis);
      }
    }
    refresh();
  }

  private void unsubscribe() {
    int subscription = eventSubscription;
    eventSubscription = -1;
    if (subscription >= 0) {
      try {
        events.removeListener(subscription);
      } catch (RuntimeException e) {
        LOG.debug("Cache '{}': unsubscribing failed: {}", cacheName, e.getMessage());
      }
    }
  }

  /** The origin id that starts every message this JVM publishes (36 ASCII bytes). */
  String origin() {
    return origin;
  }

  /**
   * The message for events decided in Java, in the format {@code entry.lua} writes too: the
   * origin, then per event a type byte (C, U, R, X) and three length-prefixed fields, the entry's
   * Redis key, the value's payload and the old value's payload (empty for none).
   */
  byte[] encode(List<PendingEvent<K, V>> batch) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(128);
    out.writeBytes(origin.getBytes(StandardCharsets.US_ASCII));
    for (PendingEvent<K, V> event : batch) {
      @SuppressWarnings("EnumOrdinal") // JCache's EventType order is fixed by the API
      char code = TYPE_CODES.charAt(event.type().ordinal());
      out.write(code);
      String redisKey = keys.redisKey(event.key());
      field(out, redisKey.getBytes(StandardCharsets.UTF_8));
      field(out, event.value() == null ? new byte[0] : codec.encode(event.value(), redisKey));
      field(out, event.oldValue() == null ? new byte[0]
          : codec.encode(event.oldValue(), redisKey));
    }
    return out.toByteArray();
  }

  private static void field(java.io.ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  @SuppressWarnings("unchecked")
  private void receive(byte[] bytes) {
    Consumer<List<PendingEvent<K, V>>> target = sink;
    if (target == null || bytes.length < 36) {
      return;
    }
    try {
      if (origin.equals(new String(bytes, 0, 36, StandardCharsets.US_ASCII))) {
        return;
      }
      ByteBuffer in = ByteBuffer.wrap(bytes, 36, bytes.length - 36);
      List<PendingEvent<K, V>> batch = new ArrayList<>();
      while (in.hasRemaining()) {
        EventType type = TYPES[TYPE_CODES.indexOf((char) in.get())];
        String redisKey = new String(read(in), StandardCharsets.UTF_8);
        K key = (K) keys.cacheKey(redisKey);
        V value = (V) decodeOrNull(read(in), redisKey);
        V old = (V) decodeOrNull(read(in), redisKey);
        batch.add(new PendingEvent<>(type, key, value, old));
      }
      target.accept(batch);
    } catch (RuntimeException e) {
      LOG.warn("Cache '{}': dropping an event message that cannot be decoded: {}", cacheName,
          e.getMessage());
    }
  }

  /** A length-prefixed field; anyone may publish, so the length is checked before the copy. */
  private static byte[] read(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("a field of " + length + " bytes where "
          + in.remaining() + " remain");
    }
    byte[] field = new byte[length];
    in.get(field);
    return field;
  }

  /** A value of the message, checked as a stored one is: a value of another type is dropped. */
  private Object decodeOrNull(byte[] payload, String redisKey) {
    if (payload.length == 0) {
      return null;
    }
    if (payload.length > maxValueSize) {
      throw new IllegalArgumentException("a value of " + payload.length + " bytes, over "
          + "codec.max-value-size");
    }
    Object value = codec.decode(payload, 0, redisKey);
    if (!valueType.isInstance(value)) {
      throw new IllegalArgumentException("a " + value.getClass().getName() + " where the "
          + "cache's values are " + valueType.getName());
    }
    return value;
  }

  /** Best effort: closing never fails because Redis is away (leases lapse by themselves). */
  synchronized void close() {
    renewal.cancel(false);
    if (localListeners > 0) {
      localListenersChanged(0);
    }
    if (controlSubscription >= 0) {
      try {
        control.removeListener(controlSubscription);
      } catch (RuntimeException e) {
        LOG.debug("Cache '{}': unsubscribing failed: {}", cacheName, e.getMessage());
      }
      controlSubscription = -1;
    }
  }
}
