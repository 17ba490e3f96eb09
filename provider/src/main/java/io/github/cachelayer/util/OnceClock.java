package io.github.cachelayer.util;

/**
 * A clock read once, when first asked, that then keeps that time: one decision sees one time,
 * and a decision about eternal entries reads none (reading the time is not free on every
 * machine: a VM's clock source may trap). One per decision; not for sharing between threads.
 */
public final class OnceClock implements Clock {
  private final Clock source;
  private long millis;
  private boolean read;

  public OnceClock(Clock source) {
    this.source = source;
  }

  /** From now on this clock answers {@code millis}: the time another clock decided at. */
  public void pin(long millis) {
    this.millis = millis;
    this.read = true;
  }

  @Override
  public long millis() {
    if (!read) {
      millis = source.millis();
      read = true;
    }
    return millis;
  }
}
