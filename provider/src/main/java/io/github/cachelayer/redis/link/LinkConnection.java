package io.github.cachelayer.redis.link;

import io.github.cachelayer.internal.redisson.client.RedisConnection;
import io.github.cachelayer.internal.redisson.client.RedisException;
import io.github.cachelayer.internal.redisson.client.codec.Codec;
import io.github.cachelayer.internal.redisson.client.protocol.CommandData;
import io.github.cachelayer.internal.redisson.client.protocol.CommandsData;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommand;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection to a Redis master, shared by every thread that sends on it: commands are written
 * as they come and answered in order (many in flight at once, as Lettuce does). It is used only
 * while it answers. Once a command on it goes unanswered, it is <em>retired</em>: aborted on this
 * side at once (a reset, so that this machine stops retransmitting what it sent), every command
 * still on it fails as "may or may not have run", and its node fences it (kills it on the
 * server by its client id) before anything that depends on those commands is retried or settled.
 */
final class LinkConnection {
  /** The most commands one write carries; more are written in several. */
  private static final int MAX_BATCH = 256;

  private final RedisConnection redis;
  /** The server's id of this connection (CLIENT ID), or -1 if Redis would not say. */
  private final long serverId;
  private final Node node;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean retired = new AtomicBoolean();
  /** Completes once Redis can no longer run anything this connection carried. */
  final CompletableFuture<Void> fenced = new CompletableFuture<>();
  /** Set while an attempt to fence this connection is under way. */
  final AtomicBoolean fencing = new AtomicBoolean();
  private volatile long lastAnswerNanos = System.nanoTime();
  /** Commands (or unbroken runs of them) queued and not written yet, in order. */
  private final Queue<Object> unwritten = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writerScheduled = new AtomicBoolean();
  private final Runnable writer = this::writeQueued;

  LinkConnection(RedisConnection redis, long serverId, Node node) {
    this.redis = redis;
    this.serverId = serverId;
    this.node = node;
    redis.getChannel().closeFuture().addListener(closed -> ended());
  }

  Node node() {
    return node;
  }

  long serverId() {
    return serverId;
  }

  boolean isOpen() {
    return !retired.get();
  }

  /** Commands sent and not answered yet. */
  int load() {
    return inFlight.size();
  }

  long idleNanos() {
    return inFlight.isEmpty() ? System.nanoTime() - lastAnswerNanos : 0;
  }

  /** Sends one command; the future completes with the answer, or fails. */
  <R> CompletableFuture<R> send(RedisCommand<?> command, Codec codec, Object... params) {
    CompletableFuture<R> reply = track(new CompletableFuture<>());
    if (!retired.get()) {
      enqueue(new CommandData<>(reply, codec, command, params));
    }
    return reply;
  }

  /**
   * Sends several commands one after the other with nothing between them (a pipeline, or ASKING
   * before its command); each command's own future completes with its answer.
   */
  void sendAll(List<CommandData<?, ?>> commands) {
    for (CommandData<?, ?> command : commands) {
      track(command.getPromise());
    }
    if (!retired.get()) {
      enqueue(commands);
    }
  }

  /**
   * Queues a command (or an unbroken run of them) for the writer task on the channel's event
   * loop. Every thread's commands that arrive while a write is pending go out in that one write
   * and flush: one system call and one wake-up for many commands, and Redis reads them in one
   * go, where a write per command cost each of them both (the profile of 8 threads on the old
   * path: 28% of the client's CPU in write(2), 11% in waking the event loop).
   */
  private void enqueue(Object unit) {
    unwritten.add(unit);
    if (writerScheduled.compareAndSet(false, true)) {
      try {
        redis.getChannel().eventLoop().execute(writer);
      } catch (RejectedExecutionException e) {
        writerScheduled.set(false);
        failUnwritten(e);
      }
    }
  }

  /** The writer task: everything queued so far, in order, in writes of up to {@link #MAX_BATCH}. */
  private void writeQueued() {
    writerScheduled.set(false); // a command queued from now on schedules the next run
    Object first = unwritten.poll();
    if (first == null) {
      return;
    }
    if (first instanceof CommandData<?, ?> single && unwritten.isEmpty() && !retired.get()) {
      writeOne(single); // the common case on a quiet connection: no list to build
      return;
    }
    List<CommandData<?, ?>> batch = new ArrayList<>();
    for (Object unit = first; unit != null; unit = unwritten.poll()) {
      if (retired.get()) {
        notSent(unit, null);
        continue;
      }
      if (unit instanceof CommandData<?, ?> command) {
        batch.add(command);
      } else {
        @SuppressWarnings("unchecked")
        List<CommandData<?, ?>> run = (List<CommandData<?, ?>>) unit;
        batch.addAll(run);
      }
      if (batch.size() >= MAX_BATCH) {
        write(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      write(batch);
    }
  }

  private void write(List<CommandData<?, ?>> batch) {
    if (batch.size() == 1) {
      writeOne(batch.get(0));
      return;
    }
    redis.send(new CommandsData(new CompletableFuture<>(), batch, false, false))
        .addListener(done -> {
          if (!done.isSuccess()) {
            writeFailed(batch, done.cause());
          }
        });
  }

  private void writeOne(CommandData<?, ?> command) {
    redis.send(command).addListener(done -> {
      if (!done.isSuccess()) {
        command.getPromise().completeExceptionally(new NoAnswer.NotSent(
            "the command could not be written", done.cause()));
      }
    });
  }

  /**
   * A write of several commands failed. Nothing of it left this process if the channel was
   * closed already; otherwise some of its commands may have reached Redis whole, so they count
   * as unanswered, not as unsent (the channel closes, and its node fences it).
   */
  private static void writeFailed(List<CommandData<?, ?>> batch, Throwable cause) {
    boolean nothingWritten = cause instanceof ClosedChannelException;
    for (CommandData<?, ?> command : batch) {
      command.getPromise().completeExceptionally(nothingWritten
          ? new NoAnswer.NotSent("the command could not be written", cause)
          : new NoAnswer.ConnectionEnded("the write failed before the answer came"));
    }
  }

  private void failUnwritten(Throwable cause) {
    Object unit;
    while ((unit = unwritten.poll()) != null) {
      notSent(unit, cause);
    }
  }

  private static void notSent(Object unit, Throwable cause) {
    NoAnswer.NotSent notSent = new NoAnswer.NotSent("the connection was replaced before the "
        + "command was written", cause);
    if (unit instanceof CommandData<?, ?> command) {
      command.getPromise().completeExceptionally(notSent);
    } else {
      @SuppressWarnings("unchecked")
      List<CommandData<?, ?>> run = (List<CommandData<?, ?>>) unit;
      run.forEach(command -> command.getPromise().completeExceptionally(notSent));
    }
  }

  @SuppressWarnings("CollectionUndefinedEquality") // a set of the very futures: identity is meant
  private <R> CompletableFuture<R> track(CompletableFuture<R> reply) {
    inFlight.add(reply);
    reply.whenComplete((value, failure) -> {
      inFlight.remove(reply);
      if (failure == null || isReply(failure)) {
        lastAnswerNanos = System.nanoTime();
      }
    });
    if (retired.get()) {
      reply.completeExceptionally(new NoAnswer.NotSent("the connection was replaced before the "
          + "command was sent", null));
    }
    return reply;
  }

  /** An error reply, as opposed to a failure of ours to get one. */
  private static boolean isReply(Throwable failure) {
    return failure instanceof RedisException && !(failure instanceof NoAnswer.ConnectionEnded)
        && !(failure instanceof NoAnswer.NotSent);
  }

  /**
   * Stops using this connection because a command on it went unanswered: resets it on this side
   * (no more retransmission of what it sent), fails what is still in flight as of unknown
   * outcome, and leaves it to its node to fence.
   */
  void retire(String why) {
    if (!retired.compareAndSet(false, true)) {
      return;
    }
    abort();
    failUnwritten(null);
    failInFlight("the connection was replaced (" + why + ") before the answer came");
    node.retired(this, true);
  }

  /** The channel closed (the server, the network or this side ended it). */
  private void ended() {
    if (!retired.compareAndSet(false, true)) {
      return;
    }
    redis.closeIdleAsync(); // no reconnect: a new connection replaces this one
    failUnwritten(null);
    if (inFlight.isEmpty()) {
      // Every command it carried was answered (one tracked from now on is never written):
      // nothing of it can run later, so there is nothing to fence. A Redis that went away
      // while idle must not hold calls up waiting for a kill it cannot answer.
      node.retired(this, false);
      return;
    }
    failInFlight("the connection closed before the answer came");
    node.retired(this, true);
  }

  private void failInFlight(String message) {
    NoAnswer.ConnectionEnded ended = new NoAnswer.ConnectionEnded(message);
    for (CompletableFuture<?> reply : inFlight) {
      reply.completeExceptionally(ended);
    }
  }

  /** Resets the connection rather than closing it politely, and keeps the client from reopening it. */
  private void abort() {
    Channel channel = redis.getChannel();
    try {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
    } catch (RuntimeException e) {
      // Not every transport takes the option; the close below still ends the connection.
    }
    redis.closeIdleAsync();
  }

  /** Closes it for good (the link is closing). */
  void close() {
    retired.set(true);
    redis.closeIdleAsync();
    fenced.complete(null);
  }

  @Override
  public String toString() {
    return "connection " + serverId + " to " + node;
  }
}
