package io.github.cachelayer.demo;

import org.springframework.http.HttpStatus;

/** A request the service refuses, with the status and the JSON error code to answer. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final HttpStatus status;
  final String error;

  ApiException(HttpStatus status, String error, String message) {
    super(message);
    this.status = status;
    this.error = error;
  }

  static ApiException badRequest(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "bad_request", message);
  }
}
