package com.example.websessions;

import java.util.Map;
import java.util.TreeSet;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/** A WebFlux application that keeps state in its WebSession, with spring-session-core added. */
@SpringBootApplication
@RestController
public class WebSessionsApplication {
  private final ReactiveFindByIndexNameSessionRepository<? extends Session> sessions;

  public WebSessionsApplication(
      ReactiveFindByIndexNameSessionRepository<? extends Session> sessions) {
    this.sessions = sessions;
  }

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(WebSessionsApplication.class);
    application.setWebApplicationType(WebApplicationType.REACTIVE);
    application.run(args);
  }

  @GetMapping("/count")
  public Map<String, Object> count(WebSession session) {
    Integer count = session.getAttribute("count");
    int next = count == null ? 1 : count + 1;
    session.getAttributes().put("count", next);
    return Map.of("count", next, "id", session.getId());
  }

  @PostMapping("/sign-in")
  public Mono<Map<String, Object>> signIn(WebSession session, @RequestParam String user) {
    session.getAttributes().put(
        ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user);
    return session.changeSessionId().then(Mono.fromSupplier(() -> Map.of("id", session.getId())));
  }

  @GetMapping("/sessions-of")
  public Mono<Map<String, Object>> sessionsOf(@RequestParam String user) {
    return sessions.findByPrincipalName(user)
        .map(found -> Map.of("ids", new TreeSet<>(found.keySet())));
  }

  @PostMapping("/invalidate")
  public Mono<Map<String, Object>> invalidate(WebSession session) {
    return session.invalidate().then(Mono.just(Map.of("invalidated", true)));
  }

  @GetMapping("/repository")
  public Map<String, Object> repository() {
    return Map.of("class", sessions.getClass().getName());
  }
}
