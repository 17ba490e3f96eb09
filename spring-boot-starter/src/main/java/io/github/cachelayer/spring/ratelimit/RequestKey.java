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
  abstract String of(RequestFacts request);

  /**
   * @param property the property (or annotation) that gave {@code spec}, for the error
   * @throws IllegalStateException naming {@code property} when {@code spec} is none of the forms
   */
  static RequestKey parse(String spec, String property) {
    String text = spec == null ? "" : spec.trim();
    if (text.equals("ip")) {
      return new RequestKey() {
        @Override
        String of(RequestFacts request) {
          return "ip:" + request.getAddress();
        }
      };
    }
    if (text.equals("principal")) {
      return new RequestKey() {
        @Override
        String of(RequestFacts request) {
          String principal = request.getPrincipal();
          return principal == null ? "ip:" + request.getAddress() : "user:" + principal;
        }
      };
    }
    if (text.toLowerCase(Locale.ROOT).startsWith("header:") && text.length() > 7) {
      String header = text.substring(7).trim();
      return new RequestKey() {
        @Override
        String of(RequestFacts request) {
          String value = request.header(header);
          return value == null || value.isEmpty() ? "ip:" + request.getAddress()
              : "header:" + value;
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
          .withMethodResolvers((ctx, target, name, types) -> name.equals("header")
              && target instanceof RequestFacts
              ? (c, t, arguments) -> new org.springframework.expression.TypedValue(
                  ((RequestFacts) t).header(String.valueOf(arguments[0])))
              : null)
          .build();
      return new RequestKey() {
        @Override
        String of(RequestFacts request) {
          Object value = expression.getValue(context, request);
          return "spel:" + value;
        }
      };
    }
    throw new IllegalStateException(property + " must be ip, principal, header:<name> or a "
        + "SpEL expression in #{...}, was '" + spec + "'");
  }
}
