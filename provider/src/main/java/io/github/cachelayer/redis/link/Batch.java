package io.github.cachelayer.redis.link;

import io.github.cachelayer.internal.redisson.client.RedisAskException;
import io.github.cachelayer.internal.redisson.client.RedisException;
import io.github.cachelayer.internal.redisson.client.RedisMovedException;
import io.github.cachelayer.internal.redisson.client.RedisNoScriptException;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.codec.Codec;
import io.github.cachelayer.internal.redisson.client.protocol.CommandData;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommand;
import io.github.cachelayer.internal.redisson.client.protocol.decoder.ObjectListReplayDecoder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Commands sent together: grouped by master, each group written at once on one connection (a
 * pipeline: one round trip per master however many commands). {@link #execute} returns once
 * every command is answered or has failed; each {@link #add} future then holds its own outcome.
 * A command refused without running (MOVED, ASK, NOSCRIPT, never sent) is sent again on its own;
 * one left unanswered follows the batch's {@link RedisLink.Resend} like a single command.
 */
public final class Batch {
  private static final RedisCommand<List<Object>> EVALSHA =
      new RedisCommand<>("EVALSHA", new ObjectListReplayDecoder<>());

  private final RedisLink link;
  private final RedisLink.Resend resend;
  private final List<Item> items = new ArrayList<>();

  private record Item(RedisLink.Command command, CompletableFuture<Object> result) {}

  Batch(RedisLink link, RedisLink.Resend resend) {
    this.link = link;
    this.resend = resend;
  }

  /** Adds a command for {@code key}'s master; its future completes in {@link #execute}. */
  @SuppressWarnings("unchecked")
  public <R> CompletableFuture<R> add(String key, RedisCommand<?> command, Codec codec,
      Object... params) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    items.add(new Item(new RedisLink.Command(key, null, resend, command, codec, params, null),
        result));
    return (CompletableFuture<R>) result;
  }

  /** Adds a script run on {@code key} (its one key). */
  @SuppressWarnings("unchecked")
  public CompletableFuture<List<Object>> addEval(Script script, String key, Object... args) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    items.add(new Item(new RedisLink.Command(key, null, resend, EVALSHA, ByteArrayCodec.INSTANCE,
        RedisLink.evalParams(script, List.of(key), args), script), result));
    return (CompletableFuture<List<Object>>) (CompletableFuture<?>) result;
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** Sends every command, one write per master, and waits for all within the call's budget. */
  public void execute() {
    if (items.isEmpty()) {
      return;
    }
    CallBudget budget = CallBudget.current(link.settings().boundNanos());
    Map<Node, List<Item>> byNode = new LinkedHashMap<>();
    for (Item item : items) {
      byNode.computeIfAbsent(link.route(item.command().key(), budget), n -> new ArrayList<>())
          .add(item);
    }
    IdentityHashMap<Item, LinkConnection> carriers = new IdentityHashMap<>();
    IdentityHashMap<Item, CompletableFuture<Object>> replies = new IdentityHashMap<>();
    for (Map.Entry<Node, List<Item>> group : byNode.entrySet()) {
      LinkConnection connection;
      try {
        connection = group.getKey().connection(budget);
      } catch (RedisException unreachable) {
        group.getValue().forEach(item -> item.result().completeExceptionally(unreachable));
        continue;
      }
      List<CommandData<?, ?>> commands = new ArrayList<>(group.getValue().size());
      for (Item item : group.getValue()) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        RedisLink.Command command = item.command();
        commands.add(new CommandData<>(reply, command.codec(), command.command(),
            command.params()));
        carriers.put(item, connection);
        replies.put(item, reply);
      }
      connection.sendAll(commands);
    }
    for (Item item : items) {
      CompletableFuture<Object> reply = replies.get(item);
      if (reply == null) {
        continue; // failed above: no connection
      }
      settle(item, reply, carriers.get(item), budget);
    }
  }

  private void settle(Item item, CompletableFuture<Object> reply, LinkConnection connection,
      CallBudget budget) {
    try {
      item.result().complete(link.await(reply, connection, resend, budget));
      budget.answered();
    } catch (RedisMovedException | RedisAskException | RedisNoScriptException
        | NoAnswer.NotSent refusedWithoutRunning) {
      // Nothing ran: send it on its own, which follows redirections and loads the script.
      again(item);
    } catch (NoAnswer.TimedOut | NoAnswer.ConnectionEnded unanswered) {
      Node node = connection.node();
      switch (resend) {
        case ALWAYS -> again(item);
        case AFTER_FENCE -> {
          if (node.awaitFenced(connection, budget)) {
            again(item);
          } else {
            item.result().completeExceptionally(unanswered);
          }
        }
        case NEVER -> {
          node.awaitFenced(connection, budget);
          item.result().completeExceptionally(unanswered);
        }
      }
    } catch (RuntimeException failure) {
      item.result().completeExceptionally(failure);
    }
  }

  private void again(Item item) {
    try {
      item.result().complete(link.execute(item.command()));
    } catch (RuntimeException failure) {
      item.result().completeExceptionally(failure);
    }
  }

  /** The value of a command's future after {@link #execute}, its failure thrown as it is. */
  public static <R> R join(CompletableFuture<R> result) {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
