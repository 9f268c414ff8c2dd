package dev.parley.file.refs;

import dev.parley.common.error.ParleyException;
import dev.parley.file.db.FileRow;
import dev.parley.file.db.Files;
import dev.parley.file.db.Refs;
import dev.parley.proto.client.Error.Reason;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * Avatars reference their files (design.md 11.3, ACC-5), so that a profile picture is not deleted
 * as an upload never attached. The user service changes an avatar in three steps: {@link #take} the
 * new file's reference (which also checks it may be an avatar), write the profile, then {@link
 * #releaseBefore} the generation the take returned. A crash between the steps leaves at worst an
 * extra reference, never a profile whose avatar has none: the next change of that user's avatar
 * releases every older reference, the stray one included.
 */
public final class Avatars {
  private final Jdbi jdbi;
  private final Duration deleteGrace;
  private final Clock clock;
  private final Files files = new Files();
  private final Refs refs = new Refs();

  public Avatars(Jdbi jdbi, Duration deleteGrace, Clock clock) {
    this.jdbi = jdbi;
    this.deleteGrace = deleteGrace;
    this.clock = clock;
  }

  /**
   * References {@code fileId} as {@code userId}'s avatar ("" for none: only a generation is
   * allocated) and returns the reference's generation. The file must be the user's own completed
   * upload (else NOT_FOUND, the same answer for a missing file, so ids cannot be probed) and an
   * image the server made thumbnails of (else INVALID_ARGUMENT on {@code avatar_file_id}).
   */
  public long take(long userId, String fileId) {
    if (fileId.isEmpty()) return jdbi.withHandle(refs::nextAvatarGeneration);
    long id = parse(fileId);
    FileRow file =
        jdbi.withHandle(h -> files.find(h, id))
            .filter(f -> f.ownerId() == userId)
            .orElseThrow(Avatars::notFound);
    if (file.blob().thumbnails().isEmpty()) {
      throw ParleyException.invalid(
          "avatar_file_id", "An avatar must be an image the server could make thumbnails of");
    }
    return jdbi.inTransaction(
        h -> {
          if (!refs.lock(h, new long[] {id}, new long[0], new long[0]).containsKey(id)) {
            throw notFound(); // being deleted since we looked
          }
          long generation = refs.nextAvatarGeneration(h);
          refs.insertAvatarRef(h, userId, id, generation, clock.instant());
          return generation;
        });
  }

  /**
   * Releases {@code userId}'s avatar references older than {@code generation}; content left
   * unreferenced becomes due after the grace period.
   */
  public void releaseBefore(long userId, long generation) {
    jdbi.useTransaction(
        h -> {
          long[] old = refs.avatarFilesBefore(h, userId, generation);
          if (old.length == 0) return;
          refs.lock(h, old, new long[0], new long[0]);
          refs.deleteAvatarRefs(h, userId, generation, clock.instant().plus(deleteGrace));
        });
  }

  private static long parse(String fileId) {
    try {
      return Long.parseLong(fileId);
    } catch (NumberFormatException e) {
      throw notFound();
    }
  }

  private static ParleyException notFound() {
    return new ParleyException(Reason.NOT_FOUND, "No such file", "avatar_file_id", Duration.ZERO);
  }
}
