package io.github.cachelayer.demo;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which instance answered, and the signed-in user's HttpSession as this instance finds it:
 * the page shows the session following its browser from instance to instance.
 */
@RestController
class SignedInController {
  private final Environment environment;

  SignedInController(Environment environment) {
    this.environment = environment;
  }

  /** This instance: its port (the instances of one machine differ by it). */
  String instance() {
    return "port " + environment.getProperty("local.server.port", "?");
  }

  @GetMapping("/api/me")
  Map<String, Object> me(HttpServletRequest request, Principal principal) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instance", instance());
    HttpSession session = request.getSession(false);
    body.put("signedIn", principal != null && session != null);
    if (principal == null || session == null) {
      return body; // no session is made for anonymous visitors
    }
    Integer visits = (Integer) session.getAttribute("visits");
    int next = visits == null ? 1 : visits + 1;
    session.setAttribute("visits", next);
    @SuppressWarnings("unchecked")
    List<String> seen = (List<String>) session.getAttribute("instances");
    List<String> instances = seen == null ? new ArrayList<>() : new ArrayList<>(seen);
    if (!instances.contains(instance())) {
      instances.add(instance());
      session.setAttribute("instances", instances);
    }
    body.put("user", principal.getName());
    body.put("visits", next);
    body.put("instances", instances);
    return body;
  }
}
