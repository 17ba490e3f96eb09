package com.example.books;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cached methods of the shapes Spring's cache abstraction supports beyond plain values:
 * {@code CompletableFuture}, {@code Mono} and {@code Flux} results, and {@code sync = true}
 * loads. Each counts how often it ran on this node; id "none" has no book (null), id "boom"
 * fails.
 */
@Service
public class AsyncBookService {
  private static final Map<String, Book> BOOKS = Map.of(
      "1", new Book("1", "Dune", LocalDate.of(1965, 8, 1)),
      "2", new Book("2", "Solaris", LocalDate.of(1961, 1, 1)));

  private final AtomicInteger futureLoads = new AtomicInteger();
  private final AtomicInteger monoLoads = new AtomicInteger();
  private final AtomicInteger fluxLoads = new AtomicInteger();
  private final AtomicInteger sharedLoads = new AtomicInteger();
  private final AtomicInteger sharedFutureLoads = new AtomicInteger();

  @Cacheable("future-books")
  public CompletableFuture<Book> future(String id) {
    futureLoads.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> book(id), later(50));
  }

  @Cacheable("mono-books")
  public Mono<Book> mono(String id) {
    monoLoads.incrementAndGet();
    return Mono.delay(Duration.ofMillis(50)).flatMap(tick -> Mono.justOrEmpty(book(id)));
  }

  @Cacheable(cacheNames = "flux-books", key = "'all'")
  public Flux<Book> flux() {
    fluxLoads.incrementAndGet();
    return Flux.fromIterable(BOOKS.values()).sort(
        java.util.Comparator.comparing(Book::id)).delayElements(Duration.ofMillis(20));
  }

  /** A slow load that every node sharing the cache should run once between them. */
  @Cacheable(cacheNames = "shared-books", key = "#id", sync = true)
  public Book shared(String id, long delayMillis, boolean fail) {
    sharedLoads.incrementAndGet();
    sleep(delayMillis);
    if (fail) {
      throw new IllegalStateException("the catalogue is closed");
    }
    return book(id);
  }

  @Cacheable(cacheNames = "shared-future-books", key = "#id", sync = true)
  public CompletableFuture<Book> sharedFuture(String id, long delayMillis, boolean fail) {
    sharedFutureLoads.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> {
      if (fail) {
        throw new IllegalStateException("the catalogue is closed");
      }
      return book(id);
    }, later(delayMillis));
  }

  public Map<String, Integer> loads() {
    return Map.of("future", futureLoads.get(), "mono", monoLoads.get(), "flux", fluxLoads.get(),
        "shared", sharedLoads.get(), "sharedFuture", sharedFutureLoads.get());
  }

  private static Book book(String id) {
    if ("boom".equals(id)) {
      throw new IllegalArgumentException("no such shelf: " + id);
    }
    return BOOKS.get(id);
  }

  private static Executor later(long millis) {
    return CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
