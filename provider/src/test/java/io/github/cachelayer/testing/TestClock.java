package io.github.cachelayer.testing;

import io.github.cachelayer.util.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test says so. */
public final class TestClock implements Clock {
  private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
  private final AtomicLong reads = new AtomicLong();

  @Override
  public long millis() {
    reads.incrementAndGet();
    return millis.get();
  }

  /** How often the time was read. */
  public long reads() {
    return reads.get();
  }

  public void advance(Duration duration) {
    millis.addAndGet(duration.toMillis());
  }
}
