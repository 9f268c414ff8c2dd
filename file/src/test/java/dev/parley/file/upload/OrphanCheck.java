package dev.parley.file.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.file.store.ObjectStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The storage invariant of the file service: every object belongs to a blob (its content or a
 * derived object), or to an upload still in progress (its object and, while it completes, the
 * objects derived under its key). Anything else would never be deleted.
 */
final class OrphanCheck {
  private OrphanCheck() {}

  static void assertNone(ObjectStore store, Jdbi jdbi) {
    assertThat(orphans(store, jdbi)).as("objects that belong to nothing").isEmpty();
  }

  static List<String> orphans(ObjectStore store, Jdbi jdbi) {
    Set<String> owned = new HashSet<>();
    List<String> inProgress =
        jdbi.withHandle(
            h -> {
              owned.addAll(
                  h.createQuery("SELECT object_key FROM file.blobs").mapTo(String.class).list());
              owned.addAll(
                  h.createQuery("SELECT object_key FROM file.thumbnails")
                      .mapTo(String.class)
                      .list());
              return h.createQuery(
                      "SELECT object_key FROM file.uploads WHERE state IN ('open', 'completing')")
                  .mapTo(String.class)
                  .list();
            });
    return store.list("").stream()
        .filter(key -> !owned.contains(key))
        .filter(key -> inProgress.stream().noneMatch(u -> key.equals(u) || key.startsWith(u + ".")))
        .toList();
  }
}
