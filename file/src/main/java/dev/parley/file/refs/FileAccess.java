package dev.parley.file.refs;

import dev.parley.file.db.FileRow;
import dev.parley.file.db.Files;
import dev.parley.file.db.Refs;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Who may read a file (design.md 11.6): the one place that decides it, for every download (the
 * original and each thumbnail) and for attaching the file to a message. A user may read a file they
 * uploaded, one that a message they may see references (a member within their visible range, the
 * message not recalled: recalls delete their references), or the avatar of a user whose profile
 * they may see. Everyone else is told the file does not exist, so file ids cannot be probed.
 */
public final class FileAccess {
  /**
   * References looked at per decision, newest first. A file forwarded to more conversations than
   * this is still readable by the members of the newest ones and by its uploader.
   */
  static final int MAX_REFS_CHECKED = 1_000;

  private final Jdbi jdbi;
  private final Files files = new Files();
  private final Refs refs = new Refs();
  private final MessageVisibility visibility;
  private final ProfileVisibility profiles;

  public FileAccess(Jdbi jdbi, MessageVisibility visibility, ProfileVisibility profiles) {
    this.jdbi = jdbi;
    this.visibility = visibility;
    this.profiles = profiles;
  }

  /** The file if {@code userId} may read it; empty for a missing file and for one not theirs. */
  public Optional<FileRow> readable(long userId, long fileId) {
    Optional<FileRow> file = jdbi.withHandle(h -> files.find(h, fileId));
    if (file.isEmpty() || file.get().ownerId() == userId) return file;
    List<MessageRef> seen =
        jdbi.withHandle(h -> refs.messageRefsOf(h, fileId, MAX_REFS_CHECKED)).stream()
            .map(r -> new MessageRef(r.conversationId(), r.seq()))
            .toList();
    if (!seen.isEmpty() && visibility.anyVisible(userId, seen)) return file;
    List<Long> avatarOf = jdbi.withHandle(h -> refs.avatarOwnersOf(h, fileId));
    return avatarOf.stream().anyMatch(owner -> owner == userId || profiles.maySee(userId, owner))
        ? file
        : Optional.empty();
  }
}
