package io.github.cachelayer.helpers;

import io.github.cachelayer.testing.Managers;
import javax.cache.CacheManager;

/** The helper suite on CacheLayer in fallback mode, on a controllable clock. */
class HelpersOnFallbackTest extends HelperSuite {
  @Override
  protected CacheManager openManager() {
    return Managers.fresh(controllableClock::millis);
  }
}
