package io.github.cachelayer.testing;

import io.github.cachelayer.RedisUnavailableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;

/**
 * Mixed load (40% put, 10% remove, 50% get) by threads that each own their keys, so every key
 * has one history, checked on every read: a read returns nothing, a value written by a call that
 * failed (it may have landed), or the last acknowledged value if no write or remove of the key
 * failed since; never anything older than a failed write, nor what an acknowledged write
 * replaced. Every failure must be a {@link RedisUnavailableException}.
 */
public final class CheckedLoad {
  private final Cache<String, String> cache;
  private final List<Thread> workers = new ArrayList<>();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong markedAt = new AtomicLong();
  private final AtomicLong firstSuccessAfterMark = new AtomicLong();
  private volatile long lastFailure;

  /** One key's history as its only writer saw it. */
  private static final class History {
    String acknowledged;
    final Set<String> uncertain = new HashSet<>();
    boolean uncertainRemove;
  }

  private CheckedLoad(Cache<String, String> cache) {
    this.cache = cache;
  }

  /** Starts {@code threads} threads on {@code keysPerThread} keys each, for {@code millis}. */
  public static CheckedLoad start(Cache<String, String> cache, int threads, int keysPerThread,
      long millis) {
    CheckedLoad load = new CheckedLoad(cache);
    long end = System.nanoTime() + millis * 1_000_000;
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> load.run(thread, keysPerThread, end));
      load.workers.add(worker);
      worker.start();
    }
    return load;
  }

  private void run(int thread, int keysPerThread, long end) {
    Map<String, History> histories = new HashMap<>();
    long version = 0;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (System.nanoTime() < end) {
      String key = "t" + thread + "-k" + random.nextInt(keysPerThread);
      History history = histories.computeIfAbsent(key, k -> new History());
      int choice = random.nextInt(10);
      String value = key + "-v" + (++version);
      calls.incrementAndGet();
      try {
        if (choice < 4) {
          cache.put(key, value);
          history.acknowledged = value;
          history.uncertain.clear();
          history.uncertainRemove = false;
        } else if (choice < 5) {
          cache.remove(key);
          history.acknowledged = null;
          history.uncertain.clear();
          history.uncertainRemove = false;
        } else {
          String read = cache.get(key);
          boolean settled = history.uncertain.isEmpty() && !history.uncertainRemove;
          if (read != null && !history.uncertain.contains(read)
              && !(settled && read.equals(history.acknowledged))) {
            problems.add(key + ": read " + read + ", acknowledged " + history.acknowledged
                + ", uncertain " + history.uncertain);
          }
        }
        if (markedAt.get() != 0) {
          firstSuccessAfterMark.compareAndSet(0, System.nanoTime());
        }
      } catch (RedisUnavailableException e) {
        failures.incrementAndGet();
        lastFailure = System.nanoTime();
        if (choice < 4) {
          history.uncertain.add(value);
        } else if (choice < 5) {
          history.uncertainRemove = true;
        }
      } catch (RuntimeException | Error e) {
        problems.add("unexpected " + e);
      }
    }
  }

  /** From now on, notes the first call that succeeds (such as after a restart). */
  public void mark() {
    markedAt.set(System.nanoTime());
  }

  /** Waits for the threads to end. */
  public CheckedLoad join() throws InterruptedException {
    for (Thread worker : workers) {
      worker.join();
    }
    return this;
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  public long calls() {
    return calls.get();
  }

  public long failures() {
    return failures.get();
  }

  /** Seconds from {@link #mark} to the first call that succeeded after it; infinite if none. */
  public double secondsToFirstSuccessAfterMark() {
    long first = firstSuccessAfterMark.get();
    return first == 0 ? Double.POSITIVE_INFINITY : (first - markedAt.get()) / 1e9;
  }

  /** Seconds from the last failure to the end of the load (how long it ran clean at the end). */
  public double secondsSinceLastFailure() {
    return lastFailure == 0 ? Double.POSITIVE_INFINITY : (System.nanoTime() - lastFailure) / 1e9;
  }
}
