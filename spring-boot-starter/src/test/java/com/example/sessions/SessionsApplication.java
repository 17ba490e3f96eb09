package com.example.sessions;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application that uses HttpSession as any does, with spring-session-core and the
 * CacheLayer starter on its class path and nothing else about sessions.
 */
@SpringBootApplication
@RestController
public class SessionsApplication {
  private final FindByIndexNameSessionRepository<? extends Session> sessions;

  public SessionsApplication(FindByIndexNameSessionRepository<? extends Session> sessions) {
    this.sessions = sessions;
  }

  public static void main(String[] args) {
    SpringApplication.run(SessionsApplication.class, args);
  }

  /** Counts this session's requests. */
  @GetMapping("/count")
  public Map<String, Object> count(HttpSession session) {
    Integer count = (Integer) session.getAttribute("count");
    int next = count == null ? 1 : count + 1;
    session.setAttribute("count", next);
    return Map.of("count", next, "id", session.getId());
  }

  @PostMapping("/attribute")
  public Map<String, Object> set(HttpSession session, @RequestParam String name,
      @RequestParam String value, @RequestParam(defaultValue = "0") long pauseMillis)
      throws InterruptedException {
    session.setAttribute(name, new Note(value));
    Thread.sleep(pauseMillis);
    return Map.of("id", session.getId());
  }

  @GetMapping("/attributes")
  public Map<String, Object> attributes(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Map<String, Object> all = new TreeMap<>();
    if (session != null) {
      for (String name : Collections.list(session.getAttributeNames())) {
        all.put(name, String.valueOf(session.getAttribute(name)));
      }
    }
    return all;
  }

  @PostMapping("/change-id")
  public Map<String, Object> changeId(HttpServletRequest request) {
    request.getSession();
    return Map.of("id", request.changeSessionId());
  }

  @PostMapping("/sign-in")
  public Map<String, Object> signIn(HttpSession session, @RequestParam String user) {
    session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user);
    return Map.of("id", session.getId());
  }

  @GetMapping("/sessions-of")
  public Map<String, Object> sessionsOf(@RequestParam String user) {
    return Map.of("ids", new java.util.TreeSet<>(sessions.findByPrincipalName(user).keySet()));
  }

  @PostMapping("/max-inactive")
  public Map<String, Object> maxInactive(HttpSession session, @RequestParam int seconds) {
    session.setMaxInactiveInterval(seconds);
    return Map.of("id", session.getId(), "seconds", session.getMaxInactiveInterval());
  }

  @PostMapping("/invalidate")
  public Map<String, Object> invalidate(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    return Map.of("invalidated", session != null);
  }

  @GetMapping("/repository")
  public Map<String, Object> repository() {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("class", sessions.getClass().getName());
    return answer;
  }

  /** An attribute of the application's own class. */
  public record Note(String text) implements java.io.Serializable {
    @Override
    public String toString() {
      return text;
    }
  }
}
