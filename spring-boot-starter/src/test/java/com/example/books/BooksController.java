package com.example.books;

import java.util.HashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class BooksController {
  private final BookService books;

  public BooksController(BookService books) {
    this.books = books;
  }

  @GetMapping("/books/{id}")
  public Map<String, Object> find(@PathVariable String id) {
    Map<String, Object> answer = new HashMap<>();
    answer.put("book", books.find(id));
    answer.put("lookups", books.lookups());
    return answer;
  }

  @PutMapping("/books/{id}")
  public Book rename(@PathVariable String id, @RequestParam String title) {
    return books.rename(id, title);
  }

  @DeleteMapping("/books")
  public void evictAll() {
    books.evictAll();
  }
}
