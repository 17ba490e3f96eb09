package io.github.cachelayer.store;

/**
 * How a {@link Store#computeWithoutWaiting} attempt ends when it did not settle the operation:
 * Redis did not run it, or its answer did not come (the store has then arranged for the key to
 * be settled first). The caller runs the operation as {@link Store#compute}, which applies the
 * retries and the outage policy. Thrown often enough under faults that it carries no stack.
 */
public final class WaitNeeded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WaitNeeded(Throwable cause) {
    super("the attempt without waiting did not settle the operation", cause, false, false);
  }
}
