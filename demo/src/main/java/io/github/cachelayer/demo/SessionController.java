package io.github.cachelayer.demo;

import io.github.cachelayer.session.Session;
import io.github.cachelayer.session.SessionManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sessions as the original offered them: create, read (which extends the sliding hour), update
 * (a merge; a null attribute removes it) and delete.
 */
@RestController
@RequestMapping("/api/sessions")
class SessionController {
  /**
   * Attributes a session may hold, characters per text attribute, and characters of all its
   * names and texts together: a session is small, however many requests built it.
   */
  static final int MAX_ATTRIBUTES = 50;
  static final int MAX_TEXT = 4_096;
  static final int MAX_SESSION_CHARS = 32 * 1_024;
  static final java.time.Duration IDLE_TIMEOUT = DemoApplication.SESSION_IDLE_TIMEOUT;

  private final SessionManager sessions;

  SessionController(SessionManager sessions) {
    this.sessions = sessions;
  }

  record NewSession(String userId, Map<String, Object> data) {}

  @PostMapping
  ResponseEntity<Map<String, Object>> create(@RequestBody NewSession request) {
    if (request.userId() == null || request.userId().isBlank()
        || request.userId().length() > 200) {
      throw ApiException.badRequest("userId is required (1 to 200 characters)");
    }
    Map<String, Object> data = checked(request.data() == null ? Map.of() : request.data());
    checkedTotal(data);
    String id = sessions.create(request.userId(), data);
    return ResponseEntity.status(HttpStatus.CREATED).body(view(sessions.get(id).orElseThrow()));
  }

  @GetMapping("/{id}")
  Map<String, Object> read(@PathVariable String id) {
    return view(sessions.get(id).orElseThrow(() -> unknown()));
  }

  /**
   * Merges the changes, if the session they make stays within the bounds of a whole session
   * (checked against the session as read just before: two concurrent requests may each pass,
   * but every later one sees what they built).
   */
  @PatchMapping("/{id}")
  Map<String, Object> update(@PathVariable String id, @RequestBody Map<String, Object> changes) {
    checked(changes);
    Session current = sessions.get(id).orElseThrow(() -> unknown());
    Map<String, Object> merged = new LinkedHashMap<>(current.attributes());
    changes.forEach((name, value) -> {
      if (value == null) {
        merged.remove(name);
      } else {
        merged.put(name, value);
      }
    });
    checkedTotal(merged);
    return view(sessions.update(id, changes).orElseThrow(() -> unknown()));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    if (!sessions.delete(id)) {
      throw unknown();
    }
    return ResponseEntity.noContent().build();
  }

  private static ApiException unknown() {
    return new ApiException(HttpStatus.NOT_FOUND, "unknown_session",
        "no such session, or it has ended");
  }

  /** Attribute values as JSON gives them, within the size a session may take. */
  private static Map<String, Object> checked(Map<String, Object> data) {
    if (data.size() > MAX_ATTRIBUTES) {
      throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
          "a session holds at most " + MAX_ATTRIBUTES + " attributes");
    }
    for (Map.Entry<String, Object> attribute : data.entrySet()) {
      Object value = attribute.getValue();
      if (value != null && !(value instanceof String || value instanceof Number
          || value instanceof Boolean)) {
        throw ApiException.badRequest("attribute '" + attribute.getKey()
            + "' must be a string, number, boolean or null");
      }
      if (value instanceof String text && text.length() > MAX_TEXT) {
        throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
            "attribute '" + attribute.getKey() + "' is over " + MAX_TEXT + " characters");
      }
    }
    return data;
  }

  /** A whole session's bounds: its attributes, and the characters of their names and texts. */
  private static void checkedTotal(Map<String, Object> attributes) {
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
          "a session holds at most " + MAX_ATTRIBUTES + " attributes");
    }
    long chars = 0;
    for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
      chars += attribute.getKey().length() + String.valueOf(attribute.getValue()).length();
    }
    if (chars > MAX_SESSION_CHARS) {
      throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
          "a session holds at most " + MAX_SESSION_CHARS + " characters of data");
    }
  }

  private static Map<String, Object> view(Session session) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", session.id());
    view.put("userId", session.userId());
    view.put("createdAt", session.createdAt().toString());
    view.put("lastAccessedAt", session.lastAccessedAt().toString());
    // Idle for an hour, it ends; active, it ends at expiresAt at the latest.
    view.put("idleTimeoutSeconds", IDLE_TIMEOUT.toSeconds());
    view.put("expiresAt", session.expiresAt().toString());
    view.put("data", session.attributes());
    return view;
  }
}
