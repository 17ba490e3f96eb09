package io.github.cachelayer.tiers;

import java.util.Map;
import org.junit.platform.suite.api.BeforeSuite;

/** A suite on the embedded Redis 6.2, the near cache's protocol chosen by {@code auto}. */
abstract class OnRedis62 extends RestoresSettings {
  @BeforeSuite
  static void onRedis62() {
    SuiteSettings.onOldestRedis(Map.of());
  }
}
