package io.github.cachelayer.session;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * One atomic change of a user's index: drop ended sessions and the {@code removed} ids, add
 * {@code added} (if any), and, over {@code maxSessions} (0: no maximum), drop the oldest. Answers
 * the ids it dropped for being over the maximum, whose sessions the caller then deletes. An
 * index left empty is removed.
 */
record UpdateIndex(SessionIndex.Ref added, Set<String> removed, long now, int maxSessions)
    implements EntryProcessor<String, SessionIndex, List<String>>, Serializable {

  @Override
  public List<String> process(MutableEntry<String, SessionIndex> entry, Object... arguments) {
    List<SessionIndex.Ref> refs = entry.exists()
        ? entry.getValue().liveAt(now, removed) : new ArrayList<>();
    if (added != null) {
      refs.add(added);
    }
    refs.sort(Comparator.comparingLong(SessionIndex.Ref::createdAt));
    List<String> evicted = new ArrayList<>();
    while (maxSessions > 0 && refs.size() > maxSessions) {
      evicted.add(refs.remove(0).id());
    }
    if (refs.isEmpty()) {
      if (entry.exists()) {
        entry.remove();
      }
    } else {
      entry.setValue(SessionIndex.of(refs));
    }
    return evicted;
  }
}
