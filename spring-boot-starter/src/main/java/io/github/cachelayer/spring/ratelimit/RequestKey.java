package io.github.cachelayer.spring.ratelimit;

import java.util.Locale;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

/**
 * Whose requests a rule counts together. Keys are prefixed by their kind, so an address can
 * never collide with a user or header value of the same text.
 */
abstract class RequestKey {
  /** Longer keys are stored by their SHA-256: a client cannot make a rule store big keys. */
  private static final int LONGEST_KEY = 128;

  abstract String key(RequestFacts request);

  /** The key of {@code request}'s counter. */
  final String of(RequestFacts request) {
    String key = key(request);
    return key.length() <= LONGEST_KEY ? key : "sha256:" + sha256(key);
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest
          .getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A value from the request, or the address when the request has none. */
  private static String orAddress(String kind, String value, RequestFacts request) {
    return value == null || value.isEmpty() ? "ip:" + request.getAddress() : kind + ":" + value;
  }

  /**
   * @param property the property (or annotation) that gave {@code spec}, for the error
   * @throws IllegalStateException naming {@code property} when {@code spec} is none of the forms
   */
  static RequestKey parse(String spec, String property) {
    String text = spec == null ? "" : spec.trim();
    if (text.equals("ip")) {
      return new RequestKey() {
        @Override
        String key(RequestFacts request) {
          return "ip:" + request.getAddress();
        }
      };
    }
    if (text.equals("principal")) {
      return new RequestKey() {
        @Override
        String key(RequestFacts request) {
          String principal = request.getPrincipal();
          return principal == null ? "ip:" + request.getAddress() : "user:" + principal;
        }
      };
    }
    if (text.toLowerCase(Locale.ROOT).startsWith("header:") && text.length() > 7) {
      String header = text.substring(7).trim();
      return new RequestKey() {
        @Override
        String key(RequestFacts request) {
          return orAddress("header", request.header(header), request);
        }
      };
    }
    if (text.toLowerCase(Locale.ROOT).startsWith("param:") && text.length() > 6) {
      String param = text.substring(6).trim();
      return new RequestKey() {
        @Override
        String key(RequestFacts request) {
          return orAddress("param", request.param(param), request);
        }
      };
    }
    if (text.startsWith("#{") && text.endsWith("}")) {
      Expression expression;
      try {
        expression = new SpelExpressionParser().parseExpression(
            text.substring(2, text.length() - 1));
      } catch (ParseException e) {
        throw new IllegalStateException(property + " is not a valid SpEL expression: "
            + e.getMessage(), e);
      }
      // Read-only evaluation over the request's facts: no type references, no bean access.
      SimpleEvaluationContext context = SimpleEvaluationContext.forReadOnlyDataBinding()
          .withMethodResolvers((ctx, target, name, types) -> target instanceof RequestFacts
              && (name.equals("header") || name.equals("param"))
              ? (c, t, arguments) -> new org.springframework.expression.TypedValue(
                  name.equals("header") ? ((RequestFacts) t).header(String.valueOf(arguments[0]))
                  : ((RequestFacts) t).param(String.valueOf(arguments[0])))
              : null)
          .build();
      return new RequestKey() {
        @Override
        String key(RequestFacts request) {
          Object value = expression.getValue(context, request);
          return orAddress("spel", value == null ? null : value.toString(), request);
        }
      };
    }
    throw new IllegalStateException(property + " must be ip, principal, header:<name>, "
        + "param:<name> or a SpEL expression in #{...}, was '" + spec + "'");
  }
}
