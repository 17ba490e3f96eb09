package io.github.cachelayer.testing;

import io.github.cachelayer.util.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test says so. */
public final class TestClock implements Clock {
  private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

  @Override
  public long millis() {
    return millis.get();
  }

  public void advance(Duration duration) {
    millis.addAndGet(duration.toMillis());
  }
}
