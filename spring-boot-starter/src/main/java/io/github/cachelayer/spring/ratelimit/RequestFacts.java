package io.github.cachelayer.spring.ratelimit;

import java.util.function.UnaryOperator;

/**
 * What a rule may key a request by, the same for servlet and WebFlux requests. Also the root
 * object of a rule's SpEL key: {@code method}, {@code path}, {@code address},
 * {@code principal} (null when anonymous), {@code header('name')} and {@code param('name')}.
 */
public final class RequestFacts {
  private final String method;
  private final String path;
  private final String address;
  private final String principal;
  private final UnaryOperator<String> headers;
  private final UnaryOperator<String> params;

  RequestFacts(String method, String path, String address, String principal,
      UnaryOperator<String> headers, UnaryOperator<String> params) {
    this.method = method;
    this.path = path;
    this.address = address;
    this.principal = principal;
    this.headers = headers;
    this.params = params;
  }

  public String getMethod() {
    return method;
  }

  /** The path within the application, decoded. */
  public String getPath() {
    return path;
  }

  /** The client's address as the server sees it (after Boot's forwarded-header handling). */
  public String getAddress() {
    return address;
  }

  /** The signed-in principal's name, or null. */
  public String getPrincipal() {
    return principal;
  }

  /** A request header's value, or null. */
  public String header(String name) {
    return headers.apply(name);
  }

  /** A query parameter's first value, or null (never the body: a filter must not consume it). */
  public String param(String name) {
    return params.apply(name);
  }
}
