package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.content.Content;
import dev.parley.proto.client.Error.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The file service as the message service sees it (design.md 11.3): looks up a file for attaching
 * it to a message, and keeps the file's references in step with the log. Implemented by the file
 * service's code and wired by the server; the message service never reads the file tables itself.
 *
 * <p>{@link #lock}, {@link #reference} and {@link #release} run inside the log writer's transaction
 * (the same database), after the conversation locks: a message and its file reference commit or
 * roll back together, and a recall releases its message's references in the recall's transaction.
 */
public interface FileAttachments {

  /**
   * The file as {@code userId} may attach it: their upload, or one a message they may see
   * references. Asked before the send is queued, outside any transaction.
   *
   * @throws ParleyException NOT_FOUND when the file does not exist, is not complete, or is neither
   *     theirs nor visible to them (one answer, so ids cannot be probed)
   */
  AttachedFile find(long userId, long fileId);

  /**
   * Locks the content of {@code fileIds} and of the files the {@code releasing} entries reference;
   * returns the ids among {@code fileIds} that can be referenced (a file whose content is being
   * deleted cannot: its send is refused NOT_FOUND).
   */
  Set<Long> lock(Handle h, long[] fileIds, List<EntryRef> releasing);

  /** After {@link #lock}: entry {@code at.get(i)} uses file {@code fileIds[i]}. Idempotent. */
  void reference(Handle h, long[] fileIds, List<EntryRef> at, Instant now);

  /** After {@link #lock}: these entries no longer use their files (recalled or deleted). */
  void release(Handle h, List<EntryRef> entries, Instant now);

  /** An entry of a conversation log. */
  record EntryRef(long conversationId, long seq) {}

  /**
   * A verified file, with what a message shows of it.
   *
   * @param contentType the type sniffed from the bytes
   * @param width 0 when not measured
   */
  record AttachedFile(
      long fileId,
      String name,
      String mimeType,
      String contentType,
      long size,
      int width,
      int height,
      byte[] preview,
      List<Content.Thumbnail> thumbnails,
      String mediaNote,
      boolean animated) {
    public AttachedFile {
      preview = preview.clone();
      thumbnails = List.copyOf(thumbnails);
    }

    @Override
    public byte[] preview() {
      return preview.clone();
    }
  }

  /**
   * No file service here (a msg instance without S3 configured): file messages are refused, and
   * there is nothing to reference or release.
   */
  FileAttachments NONE =
      new FileAttachments() {
        @Override
        public AttachedFile find(long userId, long fileId) {
          throw new ParleyException(
              Reason.UNAVAILABLE,
              "This server stores no files (no object storage is configured): only text messages"
                  + " can be sent");
        }

        @Override
        public Set<Long> lock(Handle h, long[] fileIds, List<EntryRef> releasing) {
          return Set.of();
        }

        @Override
        public void reference(Handle h, long[] fileIds, List<EntryRef> at, Instant now) {}

        @Override
        public void release(Handle h, List<EntryRef> entries, Instant now) {}
      };

  /** The id of the file a message content references, or null (text, service, recall). */
  static @Nullable Long fileOf(Content content) {
    return switch (content) {
      case Content.Image i -> Long.parseLong(i.fileId());
      case Content.File f -> Long.parseLong(f.fileId());
      default -> null;
    };
  }
}
