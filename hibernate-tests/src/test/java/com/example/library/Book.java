package com.example.library;

import jakarta.persistence.Cacheable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.annotations.NaturalId;
import org.hibernate.annotations.NaturalIdCache;

/** A READ_WRITE cached entity with a natural id, a cached collection, an enum and a UUID. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
@NaturalIdCache
public class Book {
  @Id
  private Long id;

  @NaturalId
  private String isbn;

  private String title;

  @Enumerated(EnumType.STRING)
  private Genre genre;

  private LocalDate published;

  private UUID reference;

  @Version
  private int version;

  @ElementCollection(fetch = FetchType.EAGER)
  @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
  private Set<String> tags = new HashSet<>();

  protected Book() {}

  public Book(Long id, String isbn, String title, Genre genre, LocalDate published) {
    this.id = id;
    this.isbn = isbn;
    this.title = title;
    this.genre = genre;
    this.published = published;
    this.reference = UUID.nameUUIDFromBytes(isbn.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public Long getId() {
    return id;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  public Set<String> getTags() {
    return tags;
  }
}
