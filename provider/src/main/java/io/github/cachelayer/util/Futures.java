package io.github.cachelayer.util;

import java.util.concurrent.CompletionException;

/** What the asynchronous paths share about failed futures. */
public final class Futures {
  private Futures() {}

  /**
   * The failure a future's stage reports, without the {@link CompletionException} that
   * {@code CompletableFuture} wraps it in when it passes from stage to stage.
   */
  public static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }
}
