package io.github.cachelayer.demo;

import io.github.cachelayer.codec.CodecException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every refusal as {"error": code, "message": text} with its status; never a stack trace. */
@RestControllerAdvice
class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  static ResponseEntity<Map<String, String>> error(HttpStatus status, String error,
      String message) {
    return ResponseEntity.status(status).body(Map.of("error", error, "message", message));
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, String>> refused(ApiException e) {
    return error(e.status, e.error, e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, String>> malformed(HttpMessageNotReadableException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyLimitFilter.BodyTooLarge) {
        return error(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
            "a request body holds at most " + BodyLimitFilter.MAX_BYTES + " bytes");
      }
    }
    return error(HttpStatus.BAD_REQUEST, "malformed_body", "the body is not the JSON expected");
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<Map<String, String>> missing(MissingServletRequestParameterException e) {
    return error(HttpStatus.BAD_REQUEST, "bad_request",
        "the parameter '" + e.getParameterName() + "' is required");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException e) {
    return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
        "send the body as application/json");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, String>> method(HttpRequestMethodNotSupportedException e) {
    return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
        e.getMethod() + " is not allowed here");
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<Map<String, String>> notFound(NoResourceFoundException e) {
    return error(HttpStatus.NOT_FOUND, "not_found", "no such endpoint: /" + e.getResourcePath());
  }

  @ExceptionHandler(CodecException.class)
  ResponseEntity<Map<String, String>> tooLarge(CodecException e) {
    return error(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, String>> unexpected(Exception e) {
    LOG.error("Request failed", e);
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
        "the request failed; see the service's log");
  }
}
