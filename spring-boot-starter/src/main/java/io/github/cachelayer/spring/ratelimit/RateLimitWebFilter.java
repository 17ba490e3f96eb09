package io.github.cachelayer.spring.ratelimit;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * WebFlux applications: the rules declared for paths and {@code @RateLimited} handler methods
 * (found through the handler mapping), decided on Reactor's bounded elastic scheduler, since the
 * limiter's cache calls block.
 */
public final class RateLimitWebFilter implements WebFilter, Ordered {
  private final RateLimitRules rules;
  private final RateLimitMetrics metrics;
  private final RequestMappingHandlerMapping handlers;

  RateLimitWebFilter(RateLimitRules rules, RateLimitMetrics metrics,
      RequestMappingHandlerMapping handlers) {
    this.rules = rules;
    this.metrics = metrics;
    this.handlers = handlers;
  }

  /** After Spring Security's WebFilter (-100), so that a principal is known. */
  @Override
  public int getOrder() {
    return 0;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String method = request.getMethod().name();
    String path = request.getPath().pathWithinApplication().value();
    Mono<List<WebRateLimit>> limits = annotated(exchange).map(annotated -> {
      List<WebRateLimit> all = new ArrayList<>(rules.matching(method, path));
      annotated.stream().filter(rule -> all.stream().noneMatch(
          known -> known.name().equals(rule.name()))).forEach(all::add);
      return all;
    });
    return limits.flatMap(all -> {
      if (all.isEmpty()) {
        return chain.filter(exchange);
      }
      return exchange.getPrincipal().map(Principal::getName).map(Objects::toString)
          .defaultIfEmpty("")
          .flatMap(principal -> Mono.fromCallable(() -> decide(all, request, method, path,
              principal)).subscribeOn(Schedulers.boundedElastic()))
          .flatMap(verdict -> respond(verdict, exchange, chain, path));
    });
  }

  private Mono<List<WebRateLimit>> annotated(ServerWebExchange exchange) {
    if (handlers == null) {
      return Mono.just(List.of());
    }
    return handlers.getHandler(exchange).map(handler -> {
      WebRateLimit rule = handler instanceof HandlerMethod method ? rules.forHandler(method)
          : null;
      return rule == null ? List.<WebRateLimit>of() : List.of(rule);
    }).defaultIfEmpty(List.of());
  }

  private RateLimitVerdict decide(List<WebRateLimit> all, ServerHttpRequest request,
      String method, String path, String principal) {
    String address = request.getRemoteAddress() == null ? "unknown"
        : request.getRemoteAddress().getAddress() == null
            ? request.getRemoteAddress().getHostString()
            : request.getRemoteAddress().getAddress().getHostAddress();
    RequestFacts facts = new RequestFacts(method, path, address,
        principal.isEmpty() ? null : principal, name -> request.getHeaders().getFirst(name),
        name -> request.getQueryParams().getFirst(name));
    RateLimitVerdict verdict = new RateLimitVerdict();
    for (WebRateLimit limit : all) {
      if (!verdict.apply(limit, facts, metrics)) {
        break;
      }
    }
    return verdict;
  }

  private Mono<Void> respond(RateLimitVerdict verdict, ServerWebExchange exchange,
      WebFilterChain chain, String path) {
    ServerHttpResponse response = exchange.getResponse();
    if (!verdict.policyHeader().isEmpty()) {
      response.getHeaders().add("RateLimit-Policy", verdict.policyHeader());
      response.getHeaders().add("RateLimit", verdict.rateLimitHeader());
    }
    if (verdict.allowed()) {
      return chain.filter(exchange);
    }
    response.setStatusCode(HttpStatus.valueOf(verdict.status()));
    response.getHeaders().set("Retry-After", Long.toString(verdict.retryAfterSeconds()));
    response.getHeaders().setContentType(MediaType.parseMediaType(RateLimitVerdict.PROBLEM_JSON));
    byte[] body = verdict.problem(path);
    response.getHeaders().setContentLength(body.length);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
