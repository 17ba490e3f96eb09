package io.github.cachelayer.tiers;

import org.junit.platform.suite.api.AfterSuite;

/** A suite that runs under settings of its own puts the fork's back after its last test. */
abstract class RestoresSettings {
  @AfterSuite
  static void restoreSettings() {
    SuiteSettings.restore();
  }
}
