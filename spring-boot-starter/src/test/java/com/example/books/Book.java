package com.example.books;

import java.time.LocalDate;

/** An application class, not Serializable: other nodes read it only if its package is allowed. */
public record Book(String id, String title, LocalDate published) {}
