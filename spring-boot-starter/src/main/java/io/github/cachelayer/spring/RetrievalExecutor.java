package io.github.cachelayer.spring;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where {@link CacheLayerSpringCache} waits for Redis on behalf of asynchronous callers: a virtual
 * thread per call on Java 21 and later, else up to {@value #PLATFORM_THREADS} daemon threads
 * ({@code cachelayer-retrieve-N}, gone after 30 s idle) with the calls beyond them queued.
 */
final class RetrievalExecutor {
  static final int PLATFORM_THREADS = 64;

  private RetrievalExecutor() {}

  static Executor create() {
    try {
      return (Executor) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      return platformThreads(); // Java 17-20
    }
  }

  static Executor platformThreads() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(PLATFORM_THREADS, PLATFORM_THREADS,
        30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "cachelayer-retrieve-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
