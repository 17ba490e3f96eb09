package io.github.cachelayer.redis.outage;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.internal.redisson.client.RedisAuthRequiredException;
import io.github.cachelayer.internal.redisson.client.RedisConnectionException;
import io.github.cachelayer.internal.redisson.client.RedisException;
import io.github.cachelayer.internal.redisson.client.RedisLoadingException;
import io.github.cachelayer.internal.redisson.client.RedisNoScriptException;
import io.github.cachelayer.internal.redisson.client.RedisNodeNotFoundException;
import io.github.cachelayer.internal.redisson.client.RedisOutOfMemoryException;
import io.github.cachelayer.internal.redisson.client.RedisReadonlyException;
import io.github.cachelayer.internal.redisson.client.RedisReconnectedException;
import io.github.cachelayer.internal.redisson.client.RedisResponseTimeoutException;
import io.github.cachelayer.internal.redisson.client.RedisRetryException;
import io.github.cachelayer.internal.redisson.client.RedisTimeoutException;
import io.github.cachelayer.internal.redisson.client.RedisWrongPasswordException;
import io.github.cachelayer.redis.link.RedisLink;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import javax.cache.CacheException;

/**
 * Turns the Redis client's failures (connection lost, timeout, an error reply) into the
 * {@link CacheException} JCache callers catch, naming the cache. Everything else passes as it is:
 * a writer's or listener's exception is not Redis's to rename.
 */
public final class RedisFailures {
  /** The breaker whose admitted call this thread is in, if any. */
  private static final ThreadLocal<CircuitBreaker> ADMITTED = new ThreadLocal<>();

  private RedisFailures() {}

  public static <T> T guard(String cacheName, Supplier<T> call) {
    return guard(cacheName, CircuitBreaker.disabled(), call);
  }

  /**
   * {@link #guard(String, Supplier)} behind a circuit breaker: while it is open the call fails
   * at once, and every call tells it whether Redis answered. A guard inside a call the same
   * breaker admitted (settling keys that clears the cache, say) only translates: the outer call
   * is the one the breaker admitted and judges; asked again, an open breaker would refuse its own
   * probe's inner call and never close.
   */
  public static <T> T guard(String cacheName, CircuitBreaker breaker, Supplier<T> call) {
    CircuitBreaker outer = ADMITTED.get();
    // Nested in a call this breaker admitted: judged by nothing (the disabled breaker keeps no
    // state), so it only translates.
    CircuitBreaker judge = outer == breaker ? CircuitBreaker.disabled() : breaker;
    if (!judge.admit()) {
      throw new RedisUnavailableException("Redis failed an operation of cache '" + cacheName
          + "': Redis did not answer the last calls; no call is made for another "
          + breaker.remainingOpenMillis() + " ms (circuit breaker open)",
          new RedisCommandFailure("CircuitBreaker: open"));
    }
    ADMITTED.set(breaker);
    try {
      T result = call.get();
      judge.answered();
      return result;
    } catch (RedisException e) {
      record(judge, e);
      throw translate(cacheName, e);
    } catch (CompletionException e) {
      if (e.getCause() instanceof RedisException redis) {
        record(judge, redis);
        throw translate(cacheName, redis);
      }
      judge.answered();
      throw e;
    } catch (RedisUnavailableException e) {
      // Redis did not answer what this call needed: an inner step, or another thread's settling
      // of keys this call must wait for. Counted as an answer, it closed an open breaker.
      judge.noAnswer();
      throw e;
    } catch (RuntimeException | Error e) {
      // The application's code failed (a writer, a listener, a codec): Redis answered.
      judge.answered();
      throw e;
    } finally {
      ADMITTED.set(outer); // null when outermost: cleared, not removed (CallBudget.Scope says why)
    }
  }

  private static void record(CircuitBreaker breaker, RedisException e) {
    if (isNoAnswer(e)) {
      breaker.noAnswer();
    } else {
      breaker.answered();
    }
  }

  /** A timeout or a connection that could not be made or was lost: Redis did not answer. */
  public static boolean isNoAnswer(RedisException e) {
    return e instanceof RedisTimeoutException || e instanceof RedisConnectionException
        || e instanceof RedisRetryException || e instanceof RedisNodeNotFoundException
        || e instanceof RedisReconnectedException;
  }

  public static void guard(String cacheName, Runnable call) {
    guard(cacheName, () -> {
      call.run();
      return null;
    });
  }

  /**
   * Whether a command failed because its script is not loaded on that node (a fresh master after
   * a restart or failover): it ran nothing, and may be sent again once the script is loaded.
   */
  public static boolean isNoScript(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      // The client's own type; inside a pipeline the error may reach us as its reply text.
      if (cause instanceof RedisNoScriptException
          || String.valueOf(cause.getMessage()).startsWith("NOSCRIPT")) {
        return true;
      }
    }
    return false;
  }

  /** Whether a GET failed because the key holds another type than a string (a foreign value). */
  public static boolean isWrongType(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (String.valueOf(cause.getMessage()).startsWith("WRONGTYPE")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code failure} is Redis's (the client's), not the application's code. */
  public static boolean isRedisFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisException || cause instanceof RedisCommandFailure) {
        return true;
      }
    }
    return false;
  }

  /**
   * Our words for the client's failure. The client's own messages give it advice about its
   * thread settings and dump the command with its arguments (key names, values, script source)
   * and buffer internals; neither belongs in an application's log. The cause keeps the client's
   * exception type and stack, not its message.
   */
  private static CacheException translate(String cacheName, RedisException e) {
    String what = describe(e);
    String message = "Redis failed an operation of cache '" + cacheName + "': " + what;
    RedisCommandFailure cause = new RedisCommandFailure(e, what);
    return isOutage(e) ? new RedisUnavailableException(message, cause)
        : new CacheException(message, cause);
  }

  /**
   * Whether Redis could not serve the call, as opposed to refusing it for what it is (an error
   * reply such as WRONGTYPE or NOPERM): the failures an outage policy answers.
   */
  public static boolean isOutage(RedisException e) {
    if (isNoAnswer(e) || isClientSide(e) || e instanceof RedisResponseTimeoutException
        || e instanceof RedisLoadingException || e instanceof RedisReadonlyException
        || e instanceof RedisOutOfMemoryException) {
      return true;
    }
    String message = String.valueOf(e.getMessage());
    return message.startsWith("MASTERDOWN") || message.startsWith("CLUSTERDOWN")
        || message.startsWith("TRYAGAIN") || message.startsWith("BUSY")
        || message.startsWith("LOADING") || message.startsWith("READONLY")
        || message.startsWith("OOM");
  }

  /**
   * A failure inside the client rather than an answer of Redis: the client wraps whatever its
   * own machinery threw in a plain RedisException (seen while a cluster master was replaced
   * under load). Whether the command ran is unknown, as after a lost connection, so it is an
   * outage, not an error reply to report as the caller's fault.
   */
  public static boolean isClientSide(RedisException e) {
    return e.getClass() == RedisException.class && e.getCause() != null
        && !(e.getCause() instanceof RedisException);
  }

  public static String describe(RedisException e) {
    if (e instanceof RedisTimeoutException || e instanceof RedisResponseTimeoutException) {
      return "no answer within the configured timeout (after its retries)";
    }
    if (e instanceof RedisWrongPasswordException || e instanceof RedisAuthRequiredException) {
      return "Redis refused the credentials (check the user name and password)";
    }
    if (e instanceof RedisOutOfMemoryException) {
      return "Redis is out of memory (maxmemory reached and its policy evicts nothing)";
    }
    if (e instanceof RedisReadonlyException) {
      return "the node is a read-only replica (a failover is under way or the address is wrong)";
    }
    if (e instanceof RedisLoadingException) {
      return "Redis is still loading its data after a restart";
    }
    if (isNoAnswer(e)) {
      return "Redis cannot be reached (connection refused or lost)";
    }
    if (isClientSide(e)) {
      return "the call failed in the Redis client, not at Redis ("
          + e.getCause().getClass().getSimpleName() + "); it may or may not have run";
    }
    String error = serverError(e.getMessage());
    if (error.startsWith("CROSSSLOT")) {
      // Not a cluster to the client, yet the server shards keys (Redis Enterprise's clustering
      // policy): the setting that makes bulk operations send one key per command.
      return "Redis answered with an error: " + error + " (the server shards keys behind one "
          + "endpoint: set cachelayer.redis.multi-key-commands = false)";
    }
    return "Redis answered with an error: " + error;
  }

  /** The server's error line, without the client's command and channel dump after it. */
  private static String serverError(String message) {
    if (message == null) {
      return "(none)";
    }
    String text = message;
    for (String dump : new String[] {". channel:", " channel:", ", command:", " command:"}) {
      int at = text.indexOf(dump);
      if (at > 0) {
        text = text.substring(0, at);
      }
    }
    int newline = text.indexOf('\n');
    return newline > 0 ? text.substring(0, newline) : text;
  }

  /** The client's failure as a cause: its type and stack, our words. */
  public static final class RedisCommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** When Redis was found not to answer ({@link RedisLink#noticedNanos}). */
    private final long noticedNanos;
    /** The circuit breaker refused the call: nothing was sent. */
    private final boolean breakerOpen;

    RedisCommandFailure(RedisException original, String what) {
      super(original.getClass().getSimpleName() + ": " + what);
      setStackTrace(original.getStackTrace());
      noticedNanos = RedisLink.noticedNanos(original);
      breakerOpen = false;
    }

    /** The circuit breaker's refusal. */
    RedisCommandFailure(String what) {
      super(what);
      noticedNanos = System.nanoTime();
      breakerOpen = true;
    }
  }

  /**
   * When the failure behind {@code failure} was noticed: for a command Redis did not answer, the
   * moment the link gave up on it, which may be well before the calling thread saw it; the
   * present moment otherwise.
   */
  public static long noticedNanos(Throwable failure) {
    return failure.getCause() instanceof RedisCommandFailure command ? command.noticedNanos
        : System.nanoTime();
  }

  /**
   * Whether the call that failed with {@code failure} may have sent anything to Redis: not when
   * the circuit breaker refused it, so its failure says nothing new about what Redis holds.
   */
  public static boolean mayHaveReachedRedis(Throwable failure) {
    return !(failure.getCause() instanceof RedisCommandFailure command && command.breakerOpen);
  }
}
