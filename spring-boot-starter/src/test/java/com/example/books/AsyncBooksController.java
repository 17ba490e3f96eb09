package com.example.books;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The asynchronous shapes over HTTP; a failure answers 409 naming the exception it got. */
@RestController
public class AsyncBooksController {
  private final AsyncBookService books;

  public AsyncBooksController(AsyncBookService books) {
    this.books = books;
  }

  @GetMapping("/future/books/{id}")
  public CompletableFuture<Map<String, Object>> future(@PathVariable String id) {
    return books.future(id).thenApply(this::answer);
  }

  @GetMapping("/mono/books/{id}")
  public Mono<Map<String, Object>> mono(@PathVariable String id) {
    return books.mono(id).map(this::answer).defaultIfEmpty(answer(null));
  }

  @GetMapping("/flux/books")
  public Mono<Map<String, Object>> flux() {
    return books.flux().map(Book::title).collectList().map(this::answer);
  }

  @GetMapping("/shared/books/{id}")
  public Map<String, Object> shared(@PathVariable String id,
      @RequestParam(defaultValue = "0") long delayMillis,
      @RequestParam(defaultValue = "false") boolean fail) {
    return answer(books.shared(id, delayMillis, fail));
  }

  @GetMapping("/shared-future/books/{id}")
  public CompletableFuture<Map<String, Object>> sharedFuture(@PathVariable String id,
      @RequestParam(defaultValue = "0") long delayMillis,
      @RequestParam(defaultValue = "false") boolean fail) {
    return books.sharedFuture(id, delayMillis, fail).thenApply(this::answer);
  }

  @GetMapping("/loads")
  public Map<String, Integer> loads() {
    return books.loads();
  }

  private Map<String, Object> answer(Object result) {
    Map<String, Object> answer = new HashMap<>();
    answer.put("book", result instanceof List<?> ? null : result);
    answer.put("titles", result instanceof List<?> list ? list : null);
    answer.put("loads", books.loads());
    return answer;
  }

  @ExceptionHandler(RuntimeException.class)
  @ResponseStatus(HttpStatus.CONFLICT)
  public Map<String, String> failed(RuntimeException e) {
    return Map.of("exception", e.getClass().getName(), "message", String.valueOf(e.getMessage()));
  }
}
