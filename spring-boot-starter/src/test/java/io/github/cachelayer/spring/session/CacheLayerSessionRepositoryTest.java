package io.github.cachelayer.spring.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.session.SessionManager;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;

/** The repository on its own, in fallback mode: what each call reads and writes. */
class CacheLayerSessionRepositoryTest {
  private final CacheManager manager = new CacheLayerCachingProvider().getCacheManager(
      URI.create("sessions-" + UUID.randomUUID()), getClass().getClassLoader(),
      environment(Map.of()));
  private final List<Object> events = new ArrayList<>();
  private final CacheLayerSessionRepository repository = new CacheLayerSessionRepository(
      SessionManager.builder(manager).idleTimeout(Duration.ofMinutes(30)).build(),
      Duration.ofMinutes(30), Duration.ofMinutes(30), events::add, Clock.systemUTC());

  private static Properties environment(Map<String, String> environment) {
    Properties properties = new Properties();
    properties.put("io.github.cachelayer.environment", environment);
    return properties;
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void aSessionIsStoredWhenSavedAndReadBackWithItsAttributes() {
    CacheLayerSpringSession created = repository.createSession();
    assertNull(repository.findById(created.getId()), "not stored before it is saved");
    created.setAttribute("count", 1);
    repository.save(created);
    assertTrue(events.get(0) instanceof SessionCreatedEvent);

    CacheLayerSpringSession read = repository.findById(created.getId());
    assertEquals(1, (Integer) read.getAttribute("count"));
    read.setAttribute("count", 2);
    read.removeAttribute("missing");
    repository.save(read);
    assertEquals(2, (Integer) repository.findById(created.getId()).getAttribute("count"));
  }

  @Test
  void aPrincipalSetTogetherWithANewIdIndexesTheNewId() {
    CacheLayerSpringSession session = repository.createSession();
    session.setAttribute("count", 1);
    repository.save(session);
    String oldId = session.getId();

    CacheLayerSpringSession read = repository.findById(oldId);
    read.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "bob");
    String newId = read.changeSessionId();
    repository.save(read);

    assertNotEquals(oldId, newId);
    assertNull(repository.findById(oldId));
    assertEquals(List.of(newId), List.copyOf(repository.findByPrincipalName("bob").keySet()));
    repository.deleteById(newId);
    assertTrue(events.get(events.size() - 1) instanceof SessionDeletedEvent);
    assertEquals(Map.of(), repository.findByPrincipalName("bob"));
  }
}
