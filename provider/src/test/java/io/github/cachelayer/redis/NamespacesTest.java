package io.github.cachelayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class NamespacesTest {
  @Test
  void aConfigurationFileNamesTheNamespaceWhereverItLies() {
    // Two nodes of one application, deployed to different paths or as different jar versions.
    assertEquals("cachelayer", Namespaces.fromUri(
        URI.create("file:/opt/app-1.2/config/cachelayer.conf"), false));
    assertEquals("cachelayer", Namespaces.fromUri(
        URI.create("jar:file:/srv/app-1.3.jar!/BOOT-INF/classes!/cachelayer.conf"), false));
    assertEquals("cachelayer", Namespaces.fromUri(URI.create("classpath:cachelayer.conf"), false));
    assertEquals("library-cache", Namespaces.fromUri(
        URI.create("file:/work/target/test-classes/library-cache.conf"), false));
  }

  @Test
  void otherUrisNameThemselvesOrAHash() {
    assertEquals("cachelayer", Namespaces.fromUri(URI.create("anything"), true));
    assertEquals("orders", Namespaces.fromUri(URI.create("orders"), false));
    String hashed = Namespaces.fromUri(URI.create("http://example.com/some/long/manager/name"),
        false);
    assertTrue(hashed.matches("cl-[0-9a-f]{8}"), hashed);
  }
}
