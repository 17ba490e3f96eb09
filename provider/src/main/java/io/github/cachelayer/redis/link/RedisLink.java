package io.github.cachelayer.redis.link;

import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.Redisson;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.RedisAskException;
import io.github.cachelayer.internal.redisson.client.RedisClient;
import io.github.cachelayer.internal.redisson.client.RedisException;
import io.github.cachelayer.internal.redisson.client.RedisMovedException;
import io.github.cachelayer.internal.redisson.client.RedisNoScriptException;
import io.github.cachelayer.internal.redisson.client.RedisNodeNotFoundException;
import io.github.cachelayer.internal.redisson.client.RedisRedirectException;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.codec.Codec;
import io.github.cachelayer.internal.redisson.client.codec.StringCodec;
import io.github.cachelayer.internal.redisson.client.protocol.CommandData;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommand;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.internal.redisson.client.protocol.decoder.ListScanResult;
import io.github.cachelayer.internal.redisson.client.protocol.decoder.ObjectListReplayDecoder;
import io.github.cachelayer.internal.redisson.connection.ConnectionManager;
import io.github.cachelayer.internal.redisson.connection.MasterSlaveEntry;
import io.github.cachelayer.util.Futures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A CacheManager's data path to Redis: every command of its caches goes to the master that owns
 * the key, over connections this link opens and shares between threads ({@link Node}). The
 * Redis client (Redisson) keeps the topology (which master owns which slot, failovers) and its
 * own connections for pub/sub; the link decides, for each command, what happens when Redis does
 * not answer it:
 *
 * <ul>
 *   <li>{@link Resend#ALWAYS} (reads): sent again on another connection, up to {@code retries}
 *       times;
 *   <li>{@link Resend#AFTER_FENCE} (writes whose effect does not depend on what they find: SET,
 *       MSET, UNLINK, compare-and-delete): sent again only once the connection that carried the
 *       first attempt is fenced, so the first attempt cannot run after the second or after a
 *       later write;
 *   <li>{@link Resend#NEVER} (scripts whose answer depends on what they find, SET NX): not sent
 *       again, since a first attempt that ran would make the second answer wrongly; the call
 *       fails once the connection is fenced (or the budget is spent), and the caller settles
 *       the key.
 * </ul>
 *
 * A command that Redis refused without running it (MOVED, ASK, NOSCRIPT, or one that never left
 * this process) is sent again whatever it is. Every wait draws on the calling thread's
 * {@link CallBudget}, so a call returns within {@link LinkSettings#boundNanos()} of the last
 * answer Redis gave it.
 */
public final class RedisLink implements AutoCloseable {
  /** What may happen to a command whose answer did not come. */
  public enum Resend { ALWAYS, AFTER_FENCE, NEVER }

  private static final RedisCommand<List<Object>> EVALSHA =
      new RedisCommand<>("EVALSHA", new ObjectListReplayDecoder<>());
  /** How often a redirection may be followed within one call before it counts as an outage. */
  private static final int MAX_REDIRECTS = 16;
  private static final long TOPOLOGY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final ConnectionManager topology;
  private final LinkSettings settings;
  private final Fencing fencing = new Fencing();
  private final Map<RedisClient, Node> nodes = new ConcurrentHashMap<>();
  private final ScheduledExecutorService upkeep;
  private volatile boolean closed;

  public RedisLink(ConnectionManager topology, LinkSettings settings) {
    this.topology = topology;
    this.settings = settings;
    this.upkeep = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cachelayer-redis-link");
      thread.setDaemon(true);
      return thread;
    });
    upkeep.scheduleWithFixedDelay(this::upkeep, 1, 1, TimeUnit.SECONDS);
  }

  /** The link of a connected Redisson client, with the client's topology. */
  public static RedisLink of(RedissonClient client, RedisSettings settings) {
    return of(client, LinkSettings.of(settings));
  }

  public static RedisLink of(RedissonClient client, LinkSettings settings) {
    return new RedisLink(((Redisson) client).getCommandExecutor().getConnectionManager(),
        settings);
  }

  public LinkSettings settings() {
    return settings;
  }

  /** Sends one command to the master of {@code key}. */
  public <R> R call(String key, Resend resend, RedisCommand<?> command, Codec codec,
      Object... params) {
    return execute(new Command(key, null, resend, command, codec, params, null));
  }

  /**
   * The first attempt of a read, sent without a thread waiting for it: the future completes with
   * the answer, or fails for anything the synchronous {@link #call} would handle by waiting
   * (no master known for the key now, no connection open, a redirection, a refusal, no answer
   * within the command timeout, after which the connection is retired as {@code call} retires
   * it). The caller meets a failure by making the call synchronously, where it is resent and
   * redirected; a read may be sent twice. The future completes on the client's I/O thread.
   */
  public <R> CompletableFuture<R> readWithoutWaiting(String key, RedisCommand<?> command,
      Codec codec, Object... params) {
    return sendOnce(key, command, codec, params);
  }

  /**
   * One attempt of a write, sent without a thread waiting for it, as {@link #readWithoutWaiting}
   * sends a read: the future completes with the answer, or fails. It fails with
   * {@link #mayHaveRun a failure that may have run} when no answer came (its connection is then
   * retired and being fenced); with anything else, Redis did not run it (not sent, or refused:
   * MOVED, ASK, NOSCRIPT, an error). The caller settles the key of a write that may have run
   * before it writes the key again ({@link #awaitFences}).
   */
  public <R> CompletableFuture<R> writeWithoutWaiting(String key, RedisCommand<?> command,
      Codec codec, Object... params) {
    return sendOnce(key, command, codec, params);
  }

  /**
   * {@link #writeWithoutWaiting} of {@code script} (all keys in one slot). A server that does not
   * have the script yet (NOSCRIPT: nothing ran) gets it loaded and the call again, in one write
   * on one connection, so that the caller does not decide again.
   */
  public <R> CompletableFuture<R> evalWithoutWaiting(Script script, List<String> keys,
      Object... args) {
    Object[] params = evalParams(script, keys, args);
    String key = keys.get(0);
    return this.<R>sendOnce(key, connection ->
            connection.send(EVALSHA, ByteArrayCodec.INSTANCE, params))
        .exceptionallyCompose(failure ->
            !(Futures.cause(failure) instanceof RedisNoScriptException)
            ? CompletableFuture.failedFuture(failure)
            : sendOnce(key, connection -> {
              CompletableFuture<R> reply = new CompletableFuture<>();
              connection.sendAll(List.of(
                  new CommandData<>(new CompletableFuture<>(), StringCodec.INSTANCE,
                      RedisCommands.SCRIPT_LOAD, new Object[] {script.source()}),
                  new CommandData<>(reply, ByteArrayCodec.INSTANCE, EVALSHA, params)));
              return reply;
            }));
  }

  /**
   * Whether a failed {@link #writeWithoutWaiting} may have run: no answer came (the timeout, or
   * the connection ended first). An error reply, or a command that never left this process,
   * ran nothing.
   */
  public static boolean mayHaveRun(Throwable failure) {
    Throwable cause = Futures.cause(failure);
    if (cause instanceof NoAnswer.NotSent) {
      return false;
    }
    return cause instanceof TimeoutException || !(cause instanceof RedisException)
        || cause instanceof NoAnswer.ConnectionEnded || cause instanceof NoAnswer.TimedOut;
  }

  private <R> CompletableFuture<R> sendOnce(String key, RedisCommand<?> command, Codec codec,
      Object[] params) {
    return sendOnce(key, connection -> connection.send(command, codec, params));
  }

  /** One attempt on a connection to {@code key}'s master open now, with the command timeout. */
  private <R> CompletableFuture<R> sendOnce(String key,
      java.util.function.Function<LinkConnection, CompletableFuture<R>> send) {
    Node master = closed ? null : masterNow(key);
    LinkConnection connection = master == null ? null : master.available();
    if (connection == null) {
      return CompletableFuture.failedFuture(
          new NoAnswer.NotSent("no open connection to the key's master now", null));
    }
    CompletableFuture<R> reply = send.apply(connection);
    long timeout = settings.timeoutNanos();
    return reply.copy().orTimeout(timeout, TimeUnit.NANOSECONDS).whenComplete((value, failure) -> {
      if (failure instanceof TimeoutException) {
        connection.retire("no answer within " + settings.timeoutMillis() + " ms");
      }
    });
  }

  /**
   * Runs {@code script} on the master of {@code keys}' first key (all in one slot); its reply as
   * the script returns it (a list, a number, bytes).
   */
  public <R> R eval(Script script, Resend resend, List<String> keys, Object... args) {
    return execute(new Command(keys.get(0), null, resend, EVALSHA, ByteArrayCodec.INSTANCE,
        evalParams(script, keys, args), script));
  }

  static Object[] evalParams(Script script, List<String> keys, Object[] args) {
    Object[] params = new Object[2 + keys.size() + args.length];
    params[0] = script.sha();
    params[1] = keys.size();
    for (int i = 0; i < keys.size(); i++) {
      params[2 + i] = keys.get(i);
    }
    System.arraycopy(args, 0, params, 2 + keys.size(), args.length);
    return params;
  }

  /** Commands sent together, one write per master. */
  public Batch batch(Resend resend) {
    return new Batch(this, resend);
  }

  /** Every key matching {@code pattern} on every master, by SCAN (never KEYS). */
  public List<String> scan(String pattern, int count) {
    List<String> found = new ArrayList<>();
    for (Node node : masters()) {
      String cursor = "0";
      do {
        ListScanResult<String> page = execute(new Command(null, node, Resend.ALWAYS,
            RedisCommands.SCAN, StringCodec.INSTANCE,
            new Object[] {cursor, "MATCH", pattern, "COUNT", count}, null));
        found.addAll(page.getValues());
        cursor = page.getPos();
      } while (!"0".equals(cursor));
    }
    return found;
  }

  /**
   * Deletes {@code keys} (UNLINK), one command per cluster slot, sent together per master;
   * resent after a fence when unanswered, as a plain delete may be.
   */
  public void unlink(Collection<String> keys) {
    Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
    for (String key : keys) {
      // One command per hash slot where the server requires it (a cluster, or one that shards
      // behind one endpoint); the client's own count is 0 for every key of a standalone Redis.
      int slot = settings.multiKeyCommands() ? topology.calcSlot(key) : KeySlot.of(key);
      bySlot.computeIfAbsent(slot, any -> new ArrayList<>()).add(key);
    }
    Batch batch = batch(Resend.AFTER_FENCE);
    List<CompletableFuture<Object>> replies = new ArrayList<>();
    for (List<String> slotKeys : bySlot.values()) {
      for (int from = 0; from < slotKeys.size(); from += 1_000) {
        List<String> chunk = slotKeys.subList(from, Math.min(slotKeys.size(), from + 1_000));
        replies.add(batch.add(chunk.get(0), RedisCommands.UNLINK, StringCodec.INSTANCE,
            chunk.toArray()));
      }
    }
    batch.execute();
    for (CompletableFuture<Object> reply : replies) {
      Batch.join(reply);
    }
  }

  /**
   * Waits, within the calling thread's budget, until every connection that stopped answering is
   * fenced; throws the no-answer failure if one could not be in time. Settling a failed write's
   * key must wait for this: the write could otherwise run after the deletion.
   */
  public void awaitFences() {
    CallBudget budget = CallBudget.current(settings.boundNanos());
    for (Node node : nodes.values()) {
      long since = System.nanoTime();
      if (!node.awaitFences(budget)) {
        if (node.refusedSince(since)) {
          throw new NoAnswer.Unreachable("Redis (" + node + ") refuses connections: a "
              + "connection which stopped answering cannot be closed yet", null);
        }
        throw new NoAnswer.TimedOut("Redis (" + node + ") did not confirm in time that a "
            + "connection which stopped answering is closed");
      }
    }
  }

  /**
   * When Redis was found not to answer the command {@code failure} is about: the moment its
   * timeout ran out or its connection was retired, not when a thread got around to reading it;
   * the present moment for a failure of another kind.
   */
  public static long noticedNanos(Throwable failure) {
    return NoAnswer.noticedNanos(failure);
  }

  /** Whether some connection that stopped answering is not fenced yet. */
  public boolean hasUnfenced() {
    for (Node node : nodes.values()) {
      if (node.hasUnfenced()) {
        return true;
      }
    }
    return false;
  }

  /** Connections open now, over all masters (for tests and health). */
  public int openConnections() {
    int count = 0;
    for (Node node : nodes.values()) {
      count += node.openConnections();
    }
    return count;
  }

  <R> R execute(Command command) {
    CallBudget budget = CallBudget.current(settings.boundNanos());
    Node node = command.node != null ? command.node : route(command.key, budget);
    int attempts = 0;
    int redirects = 0;
    boolean asking = false;
    boolean loaded = false;
    while (true) {
      if (budget.isSpent()) {
        throw new NoAnswer.TimedOut("Redis (" + node + ") did not answer within the call's bound");
      }
      LinkConnection connection = node.connection(budget);
      CompletableFuture<R> reply = asking ? sendAsking(connection, command)
          : connection.send(command.command, command.codec, command.params);
      try {
        R value = await(reply, connection, command.resend, budget);
        budget.answered();
        return value;
      } catch (RedisMovedException | RedisAskException e) {
        budget.answered();
        if (++redirects > MAX_REDIRECTS) {
          throw new RedisNodeNotFoundException("Redis kept redirecting the command ("
              + redirects + " times)");
        }
        asking = e instanceof RedisAskException;
        node = redirect(e, command, budget);
      } catch (RedisNoScriptException e) {
        budget.answered();
        if (command.script == null || loaded) {
          throw e;
        }
        load(node, command.script);
        loaded = true;
      } catch (NoAnswer.NotSent e) {
        // It never left this process: nothing ran; send it again (on another connection).
      } catch (NoAnswer.TimedOut | NoAnswer.ConnectionEnded e) {
        attempts++;
        unanswered(command, node, connection, e, attempts, budget);
      }
    }
  }

  /**
   * After a command whose answer did not come: returns to send it again, or throws. Writes wait
   * for their connection's fence first (see {@link Resend}).
   */
  private void unanswered(Command command, Node node, LinkConnection connection,
      RedisException failure, int attempts, CallBudget budget) {
    switch (command.resend) {
      case ALWAYS -> {
        if (attempts > settings.retries() || !budget.pause(settings.retryIntervalNanos())) {
          throw failure;
        }
      }
      case AFTER_FENCE -> {
        if (!node.awaitFenced(connection, budget) || attempts > settings.retries()
            || !budget.pause(settings.retryIntervalNanos())) {
          throw failure;
        }
      }
      case NEVER -> {
        node.awaitFenced(connection, budget);
        throw failure;
      }
    }
  }

  /**
   * The answer, within the command timeout and the budget. A command unanswered in time retires
   * its connection (a read cut short by the budget alone does not: its connection may be fine).
   */
  <R> R await(CompletableFuture<R> reply, LinkConnection connection, Resend resend,
      CallBudget budget) {
    long wait = budget.waitNanos(settings.timeoutNanos());
    try {
      return reply.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (wait >= settings.timeoutNanos() || resend != Resend.ALWAYS) {
        connection.retire("no answer within " + settings.timeoutMillis() + " ms");
      }
      throw new NoAnswer.TimedOut("Redis (" + connection + ") did not answer within "
          + TimeUnit.NANOSECONDS.toMillis(wait) + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RedisException redis) {
        throw redis;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new RedisException("the client failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connection.retire("interrupted");
      throw new NoAnswer.ConnectionEnded("interrupted while waiting for Redis");
    }
  }

  private static <R> CompletableFuture<R> sendAsking(LinkConnection connection, Command command) {
    CompletableFuture<R> reply = new CompletableFuture<>();
    connection.sendAll(List.of(
        new CommandData<>(new CompletableFuture<>(), StringCodec.INSTANCE, RedisCommands.ASKING,
            new Object[0]),
        new CommandData<>(reply, command.codec, command.command, command.params)));
    return reply;
  }

  /** Loads {@code script} on {@code node} (a NOSCRIPT there ran nothing). */
  private void load(Node node, Script script) {
    execute(new Command(null, node, Resend.ALWAYS, RedisCommands.SCRIPT_LOAD,
        StringCodec.INSTANCE, new Object[] {script.source()}, null));
  }

  /** The master that owns {@code key}'s slot now, waiting (within the budget) for one. */
  Node route(String key, CallBudget budget) {
    while (true) {
      if (closed) {
        throw new NoAnswer.Unreachable("the Redis link is closed", null);
      }
      Node master = masterNow(key);
      if (master != null) {
        return master;
      }
      if (!budget.pause(TOPOLOGY_WAIT_NANOS)) {
        throw new RedisNodeNotFoundException("no Redis master serves the key's slot now");
      }
    }
  }

  /** The master that owns {@code key}'s slot now, or null while the client knows none. */
  private Node masterNow(String key) {
    MasterSlaveEntry entry = topology.getWriteEntry(topology.calcSlot(key));
    RedisClient client = entry == null ? null : entry.getClient();
    return client == null || client.isShutdown() ? null : node(client);
  }

  /** The master a redirection names, or (not known yet) the slot's master once the client learns it. */
  private Node redirect(RedisRedirectException redirection, Command command, CallBudget budget) {
    MasterSlaveEntry entry = topology.getEntry(redirection.getUrl());
    RedisClient client = entry == null ? null : entry.getClient();
    if (client != null && !client.isShutdown() && redirection.getUrl().equals(client.getAddr())) {
      return node(client);
    }
    budget.pause(TOPOLOGY_WAIT_NANOS);
    return command.node != null ? command.node : route(command.key, budget);
  }

  private Node node(RedisClient client) {
    Node known = nodes.get(client); // every call comes here: no lambda made when the node exists
    return known != null ? known : nodes.computeIfAbsent(client, c -> new Node(c, settings, fencing));
  }

  /** The current masters, one node each. */
  List<Node> masters() {
    List<Node> masters = new ArrayList<>();
    Set<RedisClient> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (MasterSlaveEntry entry : topology.getEntrySet()) {
      RedisClient client = entry.getClient();
      if (client != null && seen.add(client)) {
        masters.add(node(client));
      }
    }
    return masters;
  }

  /** Once a second: connections checked, fences retried, nodes of former masters closed. */
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // a ConcurrentHashMap: safe
  private void upkeep() {
    try {
      Set<RedisClient> current = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      for (MasterSlaveEntry entry : topology.getEntrySet()) {
        current.add(entry.getClient());
      }
      for (Map.Entry<RedisClient, Node> entry : nodes.entrySet()) {
        RedisClient client = entry.getKey();
        if (client.isShutdown() || !current.contains(client)) {
          nodes.remove(client, entry.getValue());
          entry.getValue().close();
        } else {
          entry.getValue().upkeep();
        }
      }
    } catch (RuntimeException e) {
      // The topology may be changing; next second again.
    }
  }

  @Override
  public void close() {
    closed = true;
    upkeep.shutdownNow();
    for (Node node : nodes.values()) {
      node.close();
    }
    nodes.clear();
  }

  /** One command as the link sends it: to {@code key}'s master, or to a given node. */
  record Command(String key, Node node, Resend resend, RedisCommand<?> command, Codec codec,
      Object[] params, Script script) {}
}
