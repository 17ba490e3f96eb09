package io.github.cachelayer.redis.link;

import io.github.cachelayer.internal.redisson.client.RedisClient;
import io.github.cachelayer.internal.redisson.client.RedisConnection;
import io.github.cachelayer.internal.redisson.client.RedisException;
import io.github.cachelayer.internal.redisson.client.codec.LongCodec;
import io.github.cachelayer.internal.redisson.client.codec.StringCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.internal.redisson.client.protocol.RedisStrictCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The link's connections to one master: one shared by every thread while it keeps up, more
 * opened as needed up to {@code connectionsPerNode}, idle ones checked with PING, and the ones
 * that stop answering replaced and <em>fenced</em>.
 *
 * <p>Fencing: Redis runs a connection's commands in the order they arrive, but commands on
 * different connections in no order at all, so a write whose answer did not come can still run
 * later than anything sent after it on another connection (its bytes held in the network by a
 * retransmission stall or a proxy). Before such a write may be retried, or its key settled, the
 * connection that carried it is killed on the server ({@code CLIENT KILL ID}, sent on another
 * connection): once Redis answers that, nothing more from the old connection can run. A Redis
 * that does not allow {@code CLIENT KILL} (an ACL without {@code client|kill}) leaves only the
 * reset this side sent when it retired the connection, which stops this machine's
 * retransmissions but not bytes a proxy holds; one WARN says so.
 */
final class Node {
  private static final RedisStrictCommand<Long> CLIENT_KILL =
      new RedisStrictCommand<>("CLIENT", "KILL");
  /** How long a connection may sit idle before a PING checks it. */
  static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The pause before a failed fence is tried again. */
  private static final long FENCE_RETRY_MILLIS = 200;
  private static final long REFUSAL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /**
   * Commands in flight on a connection before the next one is given work. Threads waiting on
   * one command each never reach it; it spreads only asynchronous callers with hundreds of
   * calls outstanding, whose replies one event-loop thread would otherwise decode alone.
   */
  static final int PIPELINE_DEPTH = 128;
  /** How long a wait for a fence trusts the one opening under way before it tries another. */
  private static final long PROBE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final RedisClient client;
  private final LinkSettings settings;
  private final Fencing fencing;
  private final Object lock = new Object();
  private volatile LinkConnection[] open = new LinkConnection[0];
  private final Set<LinkConnection> unfenced = ConcurrentHashMap.newKeySet();
  private final AtomicInteger opening = new AtomicInteger();
  /** The opening a caller that finds no connection waits for, shared by all such callers. */
  private final AtomicReference<CompletableFuture<LinkConnection>> firstOpening =
      new AtomicReference<>();
  private volatile boolean closed;
  /**
   * When an attempt to open a connection was last refused (System.nanoTime, never 0), or 0 since
   * one opened: while Redis refuses connections no fence can be confirmed, so nobody waits for one.
   */
  private volatile long refusedAt;
  /** When the last attempt to open a connection started (System.nanoTime). */
  private final AtomicLong lastOpeningAt = new AtomicLong(System.nanoTime());

  Node(RedisClient client, LinkSettings settings, Fencing fencing) {
    this.client = client;
    this.settings = settings;
    this.fencing = fencing;
  }

  RedisClient client() {
    return client;
  }

  /**
   * A connection to send on ({@link #available}); one is opened when there is none (the caller
   * waits for it within its budget).
   */
  LinkConnection connection(CallBudget budget) {
    LinkConnection best = available();
    return best != null ? best : await(sharedOpening(), budget);
  }

  /**
   * A connection to send on now, or null when none is open: the first open one with fewer than
   * {@link #PIPELINE_DEPTH} commands in flight, so that concurrent commands share a connection
   * and go out in one write (Redis then reads and answers them together: on a busy server one
   * read and one write for many commands, where a connection per thread costs each command
   * both). Another connection is opened in the background only once every open one is that
   * busy and fewer than the maximum are open; meanwhile the least busy takes the command.
   */
  LinkConnection available() {
    LinkConnection best = null;
    int bestLoad = Integer.MAX_VALUE;
    LinkConnection[] current = open;
    for (LinkConnection connection : current) {
      if (!connection.isOpen()) {
        continue;
      }
      int load = connection.load();
      if (load < PIPELINE_DEPTH) {
        return connection;
      }
      if (load < bestLoad) {
        best = connection;
        bestLoad = load;
      }
    }
    if (best == null) {
      return null;
    }
    if (current.length + opening.get() < settings.connectionsPerNode()) {
      openAsync();
    }
    return best;
  }

  private CompletableFuture<LinkConnection> sharedOpening() {
    while (true) {
      CompletableFuture<LinkConnection> pending = firstOpening.get();
      if (pending != null && !pending.isDone()) {
        return pending;
      }
      CompletableFuture<LinkConnection> fresh = new CompletableFuture<>();
      if (firstOpening.compareAndSet(pending, fresh)) {
        openAsync().whenComplete((connection, failure) -> {
          if (failure != null) {
            fresh.completeExceptionally(failure);
          } else {
            fresh.complete(connection);
          }
        });
        return fresh;
      }
    }
  }

  private LinkConnection await(CompletableFuture<LinkConnection> opened, CallBudget budget) {
    long wait = Math.min(budget.remainingNanos(),
        settings.connectTimeoutNanos() + settings.timeoutNanos());
    try {
      return opened.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new NoAnswer.Unreachable("no connection to " + this + " could be opened in time",
          null);
    } catch (ExecutionException e) {
      throw new NoAnswer.Unreachable("no connection to " + this + " could be opened: "
          + e.getCause().getClass().getSimpleName(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoAnswer.Unreachable("interrupted while connecting to " + this, e);
    }
  }

  /**
   * Opens a connection: the client's handshake (credentials, database, name), then
   * {@code CLIENT ID}, so that every connection in use can be fenced by its id.
   */
  private CompletableFuture<LinkConnection> openAsync() {
    CompletableFuture<LinkConnection> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new NoAnswer.Unreachable(this + " is closed", null));
      return result;
    }
    opening.incrementAndGet();
    lastOpeningAt.set(System.nanoTime());
    client.connectAsync().whenComplete((redis, failure) -> {
      if (failure != null) {
        opening.decrementAndGet();
        if (isRefusal(failure)) {
          long now = System.nanoTime();
          refusedAt = now == 0 ? 1 : now;
        }
        result.completeExceptionally(failure);
        return;
      }
      identify(redis, result);
    });
    return result;
  }

  private void identify(RedisConnection redis, CompletableFuture<LinkConnection> result) {
    redis.<Long, Long>async(settings.timeoutMillis(), LongCodec.INSTANCE, RedisCommands.CLIENT_ID)
        .whenComplete((id, failure) -> {
          opening.decrementAndGet();
          boolean refused = failure instanceof RedisException
              && !(failure instanceof io.github.cachelayer.internal.redisson.client.RedisTimeoutException);
          if (failure != null && !refused) {
            redis.closeIdleAsync();
            result.completeExceptionally(failure);
            return;
          }
          if (refused) {
            fencing.cannotIdentify(failure);
          }
          LinkConnection connection = new LinkConnection(redis, refused ? -1 : id, this);
          if (!add(connection)) {
            connection.close();
            result.completeExceptionally(new NoAnswer.Unreachable(this + " is closed", null));
            return;
          }
          refusedAt = 0;
          result.complete(connection);
        });
  }

  private boolean add(LinkConnection connection) {
    synchronized (lock) {
      if (closed || !connection.isOpen()) {
        return false;
      }
      LinkConnection[] grown = java.util.Arrays.copyOf(open, open.length + 1);
      grown[open.length] = connection;
      open = grown;
      return true;
    }
  }

  /**
   * A connection stopped answering or ended: out of use, and fenced as soon as possible when it
   * {@code mayHoldCommands} (sent and not answered).
   */
  void retired(LinkConnection connection, boolean mayHoldCommands) {
    synchronized (lock) {
      List<LinkConnection> kept = new ArrayList<>(open.length);
      for (LinkConnection c : open) {
        if (c != connection) {
          kept.add(c);
        }
      }
      open = kept.toArray(LinkConnection[]::new);
    }
    if (closed || !mayHoldCommands) {
      connection.fenced.complete(null);
      return;
    }
    unfenced.add(connection);
    connection.fenced.whenComplete((done, failure) -> unfenced.remove(connection));
    fence(connection);
  }

  /**
   * Starts fencing {@code connection} unless it is fenced or being fenced: CLIENT KILL ID on
   * another connection of this node; tried again every {@link #FENCE_RETRY_MILLIS} until Redis
   * answers it.
   */
  void fence(LinkConnection connection) {
    if (connection.fenced.isDone()) {
      return;
    }
    if (closed || connection.serverId() < 0 || !fencing.killAllowed()) {
      connection.fenced.complete(null); // the reset sent when it was retired is all there is
      return;
    }
    if (!connection.fencing.compareAndSet(false, true)) {
      return; // an attempt is under way
    }
    CompletableFuture<LinkConnection> helper;
    LinkConnection available = anyOpen();
    helper = available != null ? CompletableFuture.completedFuture(available) : openAsync();
    helper.whenComplete((other, unreachable) -> {
      if (unreachable != null) {
        attemptFailed(connection);
        return;
      }
      CompletableFuture<Long> killed = other.send(CLIENT_KILL, LongCodec.INSTANCE, "ID",
          connection.serverId());
      var timer = client.getConfig().getTimer().newTimeout(t -> {
        if (!killed.isDone()) {
          other.retire("no answer to CLIENT KILL");
        }
      }, settings.timeoutMillis(), TimeUnit.MILLISECONDS);
      killed.whenComplete((count, failure) -> {
        timer.cancel();
        if (failure == null) {
          connection.fencing.set(false);
          connection.fenced.complete(null);
        } else if (failure instanceof RedisException && !(failure instanceof NoAnswer.ConnectionEnded)
            && !(failure instanceof NoAnswer.NotSent)) {
          // An error reply: this Redis does not let us kill connections (NOPERM, a managed
          // service's restriction). The reset is all there is.
          fencing.killRefused(failure);
          connection.fencing.set(false);
          connection.fenced.complete(null);
        } else {
          attemptFailed(connection);
        }
      });
    });
  }

  private void attemptFailed(LinkConnection connection) {
    connection.fencing.set(false);
    if (!closed) {
      client.getConfig().getTimer().newTimeout(t -> fence(connection), FENCE_RETRY_MILLIS,
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Waits within {@code budget} until every connection of this node retired so far is fenced;
   * false if some could not be (Redis did not answer the kill in time).
   */
  boolean awaitFences(CallBudget budget) {
    for (LinkConnection connection : unfenced) {
      if (!awaitFenced(connection, budget)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits within {@code budget} until {@code connection} is fenced; false if it is not: Redis did
   * not answer the kill in time, or refused a connection to send it on meanwhile (Redis is
   * down: the wait would only spend the budget, and the fence is confirmed once Redis is back).
   */
  boolean awaitFenced(LinkConnection connection, CallBudget budget) {
    long since = System.nanoTime();
    fence(connection);
    try {
      while (true) {
        long slice = Math.min(budget.remainingNanos(), REFUSAL_CHECK_NANOS);
        if (slice <= 0) {
          return connection.fenced.isDone();
        }
        try {
          connection.fenced.get(slice, TimeUnit.NANOSECONDS);
          return true;
        } catch (TimeoutException e) {
          if (refusedSince(since)) {
            return connection.fenced.isDone();
          }
          probeIfStuck();
        }
      }
    } catch (ExecutionException e) {
      return connection.fenced.isDone();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Opens one more connection when the only opening under way has taken a while. A connection
   * made in the instant Redis dies can be accepted by the kernel of the dying server and then
   * reset, and the client notices that only when its handshake times out: the fence, and every
   * call waiting for it, would spend a whole timeout learning what a fresh attempt learns at
   * once (refused: Redis is down; answered: it can be fenced). At most two openings are under
   * way for this, so a frozen Redis that accepts and never answers is not flooded.
   */
  private void probeIfStuck() {
    long last = lastOpeningAt.get();
    if (opening.get() == 1 && System.nanoTime() - last >= PROBE_AFTER_NANOS
        && lastOpeningAt.compareAndSet(last, System.nanoTime())) {
      openAsync();
    }
  }

  /**
   * Whether the server's host refused the connection (nothing listens on the port): a Redis that
   * is frozen or slow accepts connections and does not answer, which is no proof of anything.
   */
  private static boolean isRefusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException
          && !(t instanceof io.netty.channel.ConnectTimeoutException)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an attempt to open a connection was refused at or after {@code since}. */
  boolean refusedSince(long since) {
    long at = refusedAt;
    return at != 0 && at - since >= 0;
  }

  private LinkConnection anyOpen() {
    for (LinkConnection connection : open) {
      if (connection.isOpen()) {
        return connection;
      }
    }
    return null;
  }

  /**
   * Upkeep, once a second: a PING on every connection idle for a second, and a connection whose
   * PING goes unanswered for the command timeout is retired; fences not yet done are tried again.
   */
  void upkeep() {
    for (LinkConnection connection : open) {
      if (connection.isOpen() && connection.idleNanos() >= IDLE_CHECK_NANOS) {
        CompletableFuture<Object> pong = connection.send(RedisCommands.PING, StringCodec.INSTANCE);
        var timer = client.getConfig().getTimer().newTimeout(t -> {
          if (!pong.isDone()) {
            connection.retire("no answer to PING");
          }
        }, settings.timeoutMillis(), TimeUnit.MILLISECONDS);
        pong.whenComplete((answer, failure) -> timer.cancel());
      }
    }
    for (LinkConnection connection : unfenced) {
      fence(connection);
    }
  }

  int openConnections() {
    return open.length;
  }

  boolean hasUnfenced() {
    return !unfenced.isEmpty();
  }

  /** Closes every connection; fences still owed are given up (the node is gone or closing). */
  void close() {
    LinkConnection[] all;
    synchronized (lock) {
      closed = true;
      all = open;
      open = new LinkConnection[0];
    }
    for (LinkConnection connection : all) {
      connection.close();
    }
    for (LinkConnection connection : unfenced) {
      connection.fenced.complete(null);
    }
  }

  @Override
  public String toString() {
    return "Redis " + client.getAddr();
  }
}
