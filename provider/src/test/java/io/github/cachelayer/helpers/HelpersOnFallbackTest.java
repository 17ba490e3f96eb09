package io.github.cachelayer.helpers;

import io.github.cachelayer.testing.Managers;
import java.time.Clock;
import java.time.Duration;
import javax.cache.CacheManager;

/** The helper suite on CacheLayer in fallback mode, on a controllable clock. */
class HelpersOnFallbackTest extends HelperSuite {
  private final MutableClock clock = new MutableClock(START);

  @Override
  protected CacheManager openManager() {
    return Managers.fresh(clock::millis);
  }

  @Override
  protected Clock cacheClock() {
    return clock;
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }
}
