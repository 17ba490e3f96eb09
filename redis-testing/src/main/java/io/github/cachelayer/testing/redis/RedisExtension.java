package io.github.cachelayer.testing.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One standalone redis-server for a test class, started before its first test, emptied before
 * each test and stopped after the last:
 * {@code @RegisterExtension static final RedisExtension redis = new RedisExtension();}
 */
public final class RedisExtension implements BeforeAllCallback, BeforeEachCallback,
    AfterAllCallback {
  private final String[] arguments;
  private RedisServer server;

  /** @param arguments extra redis-server arguments, such as "--maxmemory", "3mb" */
  public RedisExtension(String... arguments) {
    this.arguments = arguments.clone();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.start(arguments);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.call("FLUSHALL");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  public RedisServer server() {
    if (server == null) {
      throw new IllegalStateException("the Redis server runs only while the test class does");
    }
    return server;
  }

  public String url() {
    return server().url();
  }

  /** Sends one command (for set-up and assertions). */
  public Object call(String... args) {
    return server().call(args);
  }
}
