package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.spring.session.CacheLayerReactiveSessionRepository;
import io.github.cachelayer.spring.session.CacheLayerSessionAutoConfiguration;
import io.github.cachelayer.spring.session.CacheLayerSessionRepository;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/** Spring Session on CacheLayer comes by dependency alone, and gives way to any other store. */
class SessionBackOffTest {
  private final WebApplicationContextRunner web = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CacheLayerCacheAutoConfiguration.class,
          CacheLayerAutoConfiguration.class, CacheLayerSessionAutoConfiguration.class));

  @Test
  void aServletApplicationWithSpringSessionGetsTheRepositoryAndItsFilter() {
    web.run(context -> {
      assertInstanceOf(CacheLayerSessionRepository.class, context.getBean(SessionRepository.class));
      assertEquals(1, context.getBeanNamesForType(SessionRepositoryFilter.class).length);
    });
  }

  @Test
  void aWebFluxApplicationGetsTheReactiveRepository() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CacheLayerCacheAutoConfiguration.class,
            CacheLayerAutoConfiguration.class, CacheLayerSessionAutoConfiguration.class))
        .run(context -> {
          assertInstanceOf(CacheLayerReactiveSessionRepository.class,
              context.getBean(ReactiveSessionRepository.class));
          assertEquals(0, context.getBeanNamesForType(SessionRepository.class).length);
        });
  }

  @Test
  void anApplicationsOwnRepositoryWins() {
    MapSessionRepository own = new MapSessionRepository(new java.util.HashMap<>());
    web.withBean(SessionRepository.class, () -> own).run(context -> {
      assertSame(own, context.getBean(SessionRepository.class));
      assertEquals(0, context.getBeanNamesForType(CacheLayerSessionRepository.class).length);
    });
  }

  @Test
  void offByPropertyWithoutSpringSessionOrOutsideAServletApplication() {
    web.withPropertyValues("cachelayer.session.enabled=false").run(context ->
        assertEquals(0, context.getBeanNamesForType(SessionRepository.class).length));
    web.withClassLoader(new FilteredClassLoader("org.springframework.session.")).run(context -> {
      assertEquals(null, context.getStartupFailure());
      assertEquals(0, context.getBeanNamesForType(CacheLayerSessionRepository.class).length);
    });
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CacheLayerAutoConfiguration.class,
            CacheLayerSessionAutoConfiguration.class))
        .run(context -> assertEquals(0,
            context.getBeanNamesForType(CacheLayerSessionRepository.class).length));
  }

  @Test
  void badTimeoutsFailStartUpNamingTheProperty() {
    web.withPropertyValues("spring.session.timeout=10m",
        "cachelayer.session.longest-inactive-interval=5m").run(context -> assertTrue(
            String.valueOf(context.getStartupFailure()).contains(
                "cachelayer.session.longest-inactive-interval"),
            String.valueOf(context.getStartupFailure())));
    web.withPropertyValues("spring.session.timeout=2h", "cachelayer.session.max-lifetime=1h")
        .run(context -> assertTrue(String.valueOf(context.getStartupFailure())
            .contains("cachelayer.session.max-lifetime"),
            String.valueOf(context.getStartupFailure())));
  }
}
