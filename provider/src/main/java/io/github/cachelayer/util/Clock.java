package io.github.cachelayer.util;

/**
 * The time source of a cache manager, in epoch milliseconds. Injected so that expiry is tested
 * on a controllable clock instead of with sleeps.
 */
@FunctionalInterface
public interface Clock {
  Clock SYSTEM = System::currentTimeMillis;

  long millis();
}
