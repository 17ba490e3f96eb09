package io.github.cachelayer.session;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A user's sessions, oldest first: each id with its creation time and absolute end. Immutable.
 * Ended sessions are dropped whenever the index is written, and the index entry expires within
 * the maximum lifetime of its last change, so it never keeps a user's ids longer than their
 * sessions could live.
 */
public final class SessionIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] ids;
  private final long[] createdAt;
  private final long[] expiresAt;

  private SessionIndex(List<Ref> refs) {
    ids = new String[refs.size()];
    createdAt = new long[refs.size()];
    expiresAt = new long[refs.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = refs.get(i).id();
      createdAt[i] = refs.get(i).createdAt();
      expiresAt[i] = refs.get(i).expiresAt();
    }
  }

  /** One session in the index. */
  record Ref(String id, long createdAt, long expiresAt) {}

  static SessionIndex of(List<Ref> refs) {
    return new SessionIndex(refs);
  }

  List<Ref> refs() {
    List<Ref> refs = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      refs.add(new Ref(ids[i], createdAt[i], expiresAt[i]));
    }
    return refs;
  }

  /** The ids, oldest session first. */
  public List<String> ids() {
    return List.of(ids);
  }

  /** The refs that are not ended at {@code now} and not in {@code removed}. */
  List<Ref> liveAt(long now, Collection<String> removed) {
    List<Ref> live = new ArrayList<>(ids.length);
    for (Ref ref : refs()) {
      if (ref.expiresAt() > now && !removed.contains(ref.id())) {
        live.add(ref);
      }
    }
    return live;
  }

  @Override
  public String toString() {
    return "SessionIndex[" + ids.length + " sessions]";
  }
}
