package io.github.cachelayer.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryListenerException;

/**
 * Delivers entry events to the listeners registered on one cache.
 *
 * <p>Ordering: for each registration, the events of one key are delivered in the order the store
 * committed them (operations publish while they still hold the key), one at a time. Events of
 * different keys, and different registrations, run concurrently on the executor.
 *
 * <p>Synchronous listeners: {@link #publish} records the deliveries to synchronous registrations
 * for the calling thread; the cache calls {@link #awaitSynchronous} before the operation returns,
 * so a synchronous listener has seen its event when the writing call returns, and its exception
 * surfaces from that call as a {@link CacheEntryListenerException} (an {@link Error} as is).
 * Asynchronous listeners' exceptions are logged and never reach the writer.
 */
public final class EventDispatcher<K, V> {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventDispatcher.class);

  private final Executor executor;
  private final List<ListenerRegistration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private final Map<ListenerRegistration<K, V>, Map<K, CompletableFuture<Void>>> queues =
      new ConcurrentHashMap<>();
  private final ThreadLocal<List<CompletableFuture<Void>>> pendingSynchronous =
      ThreadLocal.withInitial(ArrayList::new);
  /**
   * Set for good once a synchronous listener registers: until then no thread can have a delivery
   * to wait for, and operations skip the thread-local look-up.
   */
  private volatile boolean synchronousEverRegistered;

  public EventDispatcher(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** Whether anyone listens: operations skip building events when nobody does. */
  public boolean hasListeners() {
    return !registrations.isEmpty();
  }

  /**
   * Adds a registration; the factories run now.
   *
   * @throws IllegalArgumentException if an equal configuration is already registered
   */
  public void register(CacheEntryListenerConfiguration<K, V> configuration) {
    synchronized (registrations) {
      for (ListenerRegistration<K, V> registration : registrations) {
        if (registration.configuration().equals(configuration)) {
          throw new IllegalArgumentException("This listener configuration is already registered");
        }
      }
      ListenerRegistration<K, V> registration = new ListenerRegistration<>(configuration);
      if (registration.isSynchronous()) {
        synchronousEverRegistered = true;
      }
      queues.put(registration, new ConcurrentHashMap<>());
      registrations.add(registration);
    }
  }

  /** Removes and closes the registration of this configuration; unknown ones are ignored. */
  public void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    synchronized (registrations) {
      for (ListenerRegistration<K, V> registration : registrations) {
        if (registration.configuration().equals(configuration)) {
          registrations.remove(registration);
          queues.remove(registration);
          registration.close();
          return;
        }
      }
    }
  }

  /** Queues the events for every registration that wants them, in the given order. */
  public void publish(Cache<K, V> source, List<PendingEvent<K, V>> events) {
    publish(source, events, true);
  }

  /**
   * Queues events another JVM committed. Nobody waits for them here: the writer was elsewhere, so
   * synchronous registrations receive them like asynchronous ones.
   */
  public void publishRemote(Cache<K, V> source, List<PendingEvent<K, V>> events) {
    publish(source, events, false);
  }

  /** How many registrations this cache has in this JVM. */
  public int registrationCount() {
    return registrations.size();
  }

  private void publish(Cache<K, V> source, List<PendingEvent<K, V>> events, boolean local) {
    for (PendingEvent<K, V> event : events) {
      for (ListenerRegistration<K, V> registration : registrations) {
        if (registration.handles(event.type())) {
          enqueue(registration, registration.shape(source, event), local);
        }
      }
    }
  }

  private void enqueue(ListenerRegistration<K, V> registration, CacheLayerEntryEvent<K, V> event,
      boolean local) {
    Map<K, CompletableFuture<Void>> queue = queues.get(registration);
    if (queue == null) {
      return; // deregistered meanwhile
    }
    K key = event.getKey();
    CompletableFuture<Void> delivery = queue.compute(key, (k, previous) -> {
      CompletableFuture<Void> after = previous == null ? DONE : previous.handle((r, e) -> null);
      return after.thenRunAsync(() -> registration.deliver(event), executor);
    });
    delivery.whenComplete((result, error) -> {
      queue.remove(key, delivery);
      if (error != null && !registration.isSynchronous()) {
        LOG.warn("An asynchronous cache entry listener failed on {}", event, error);
      }
    });
    if (local && registration.isSynchronous()) {
      pendingSynchronous.get().add(delivery);
    }
  }

  /** Waits for this thread's synchronous deliveries; rethrows the first listener failure. */
  public void awaitSynchronous() {
    if (!synchronousEverRegistered) {
      return;
    }
    List<CompletableFuture<Void>> pending = pendingSynchronous.get();
    if (pending.isEmpty()) {
      return;
    }
    List<CompletableFuture<Void>> deliveries = new ArrayList<>(pending);
    pending.clear();
    RuntimeException failure = null;
    Error error = null;
    for (CompletableFuture<Void> delivery : deliveries) {
      try {
        delivery.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Error err) {
          error = error == null ? err : error;
        } else if (failure == null) {
          failure = cause instanceof CacheEntryListenerException listenerException
              ? listenerException
              : new CacheEntryListenerException("A synchronous cache entry listener failed", cause);
        }
      }
    }
    if (error != null) {
      throw error;
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes every registration's listener and filter. */
  public void close() {
    synchronized (registrations) {
      for (ListenerRegistration<K, V> registration : registrations) {
        registration.close();
      }
      registrations.clear();
      queues.clear();
    }
  }
}
