package io.github.cachelayer.util;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where asynchronous callers' operations run when they may wait for Redis: a virtual thread per
 * call on Java 21 and later (a waiting call holds no platform thread), else up to
 * {@value #PLATFORM_THREADS} daemon threads ({@code cachelayer-async-N}, gone after 30 s idle)
 * with the calls beyond them queued. One executor for the whole JVM.
 */
public final class WaitingThreads {
  public static final int PLATFORM_THREADS = 64;
  private static final Executor SHARED = create();

  private WaitingThreads() {}

  /** The JVM's executor for operations that may wait. */
  public static Executor executor() {
    return SHARED;
  }

  private static Executor create() {
    try {
      return (Executor) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      return platformThreads(); // Java 17-20
    }
  }

  /** The bounded pool of Java 17-20. */
  private static Executor platformThreads() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(PLATFORM_THREADS, PLATFORM_THREADS,
        30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "cachelayer-async-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
