package dev.parley.file.refs;

import dev.parley.common.error.ParleyException;
import dev.parley.file.db.FileRow;
import dev.parley.file.db.MediaFacts;
import dev.parley.file.db.Refs;
import dev.parley.file.db.Refs.MessageRefRow;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Files attached to messages (design.md 11.3): what the message service asks of the file service.
 * {@link #find} runs before a send is queued; {@link #lock}, {@link #reference} and {@link
 * #release} run inside the message service's log transaction (the same database), so a message and
 * its reference commit or roll back together.
 */
public final class Attachments {
  private final Jdbi jdbi;
  private final FileAccess access;
  private final Duration deleteGrace;
  private final Refs refs = new Refs();

  public Attachments(Jdbi jdbi, FileAccess access, Duration deleteGrace) {
    this.jdbi = jdbi;
    this.access = access;
    this.deleteGrace = deleteGrace;
  }

  /**
   * The file as {@code userId} may attach it: theirs, or readable through a message they may see
   * (forwarding). Anything else, and a file that does not exist, is NOT_FOUND.
   */
  public Attachable find(long userId, long fileId) {
    FileRow f =
        access
            .readable(userId, fileId)
            .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such file"));
    MediaFacts facts = jdbi.withHandle(h -> MediaFacts.of(h, f.blob().blobId()));
    String contentType = f.blob().mimeType();
    String media = f.blob().media();
    return new Attachable(
        f.fileId(),
        f.name(),
        f.mimeType(),
        contentType,
        f.blob().size(),
        media,
        f.blob().width(),
        f.blob().height(),
        facts,
        Attachable.noteFor(contentType, media, facts));
  }

  /**
   * In the caller's transaction: locks the blobs of {@code fileIds} and of the files the {@code
   * releasing} entries reference (ascending blob id); returns the ids among {@code fileIds} that
   * may be referenced (their content is live).
   */
  public java.util.Set<Long> lock(Handle h, long[] fileIds, List<MessageRef> releasing) {
    Map<Long, Long> live =
        refs.lock(
            h,
            fileIds,
            releasing.stream().mapToLong(MessageRef::conversationId).toArray(),
            releasing.stream().mapToLong(MessageRef::seq).toArray());
    return live.keySet();
  }

  /**
   * In the caller's transaction, after {@link #lock}: file {@code fileIds[i]} is used by refs[i].
   */
  public void reference(Handle h, long[] fileIds, List<MessageRef> at, Instant now) {
    List<MessageRefRow> rows =
        java.util.stream.IntStream.range(0, fileIds.length)
            .mapToObj(
                i -> new MessageRefRow(fileIds[i], at.get(i).conversationId(), at.get(i).seq()))
            .toList();
    refs.insertMessageRefs(h, rows, now);
  }

  /**
   * In the caller's transaction, after {@link #lock}: these entries no longer use their files
   * (recalled, deleted); content left unreferenced becomes due after the grace period.
   */
  public void release(Handle h, List<MessageRef> entries, Instant now) {
    refs.deleteMessageRefs(
        h,
        entries.stream().mapToLong(MessageRef::conversationId).toArray(),
        entries.stream().mapToLong(MessageRef::seq).toArray(),
        now.plus(deleteGrace));
  }
}
