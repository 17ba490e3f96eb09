package io.github.cachelayer.testing;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/** Records every event it receives, in order. */
public final class RecordingListener<K, V> implements CacheEntryCreatedListener<K, V>,
    CacheEntryUpdatedListener<K, V>, CacheEntryRemovedListener<K, V>,
    CacheEntryExpiredListener<K, V>, Serializable {
  private static final long serialVersionUID = 1L;

  public final List<CacheEntryEvent<? extends K, ? extends V>> events = new CopyOnWriteArrayList<>();

  private void record(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
    batch.forEach(events::add);
  }

  @Override
  public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
    record(batch);
  }

  @Override
  public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
    record(batch);
  }

  @Override
  public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
    record(batch);
  }

  @Override
  public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
    record(batch);
  }
}
