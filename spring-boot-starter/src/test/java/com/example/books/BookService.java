package com.example.books;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Books from this node's own "database" (a map, seeded alike on every node), cached in "books".
 * What a node reads without running {@link #find} came from the shared cache.
 */
@Service
public class BookService {
  private final Map<String, Book> database = new ConcurrentHashMap<>(Map.of(
      "1", new Book("1", "Dune", LocalDate.of(1965, 8, 1)),
      "2", new Book("2", "Solaris", LocalDate.of(1961, 1, 1))));
  private final AtomicInteger lookups = new AtomicInteger();

  /** Null for an unknown id: Spring caches that too (as its NullValue). */
  @Cacheable("books")
  public Book find(String id) {
    lookups.incrementAndGet();
    return database.get(id);
  }

  @CachePut(cacheNames = "books", key = "#id")
  public Book rename(String id, String title) {
    Book renamed = new Book(id, title, database.get(id).published());
    database.put(id, renamed);
    return renamed;
  }

  @CacheEvict(cacheNames = "books", allEntries = true)
  public void evictAll() {}

  /** How often {@link #find} ran on this node. */
  public int lookups() {
    return lookups.get();
  }
}
