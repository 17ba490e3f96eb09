package io.github.cachelayer.local;

import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoreContract;

class CaffeineStoreContractTest extends StoreContract {
  /** Caffeine drops expired entries itself and tells the eviction listener. */
  @Override
  protected boolean showsExpiredEntries() {
    return false;
  }

  @Override
  protected Store<String, String> newStore(String cacheName) {
    return CaffeineStore.create(clock, -1, -1, null, (key, entry, expired) -> { }, true);
  }
}
