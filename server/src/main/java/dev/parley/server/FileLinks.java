package dev.parley.server;

import dev.parley.common.db.Database;
import dev.parley.file.refs.Attachable;
import dev.parley.file.refs.Attachments;
import dev.parley.file.refs.MessageRef;
import dev.parley.file.refs.MessageVisibility;
import dev.parley.file.refs.ProfileVisibility;
import dev.parley.msg.core.FileAttachments;
import dev.parley.msg.core.VisibleEntries;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.store.Relations;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The two ways the message and file services use each other, joined here so that neither module
 * depends on the other (design.md 11.1): messages attach files ({@link FileAttachments}, served by
 * the file service's {@link Attachments}), and downloads depend on who may see which message
 * ({@link MessageVisibility}, served by the message service's {@link VisibleEntries}). Both run in
 * one process (the msg role hosts the file service) against one database.
 */
public final class FileLinks {
  private FileLinks() {}

  public static MessageVisibility visibility(VisibleEntries entries) {
    return (userId, refs) ->
        entries.anyVisible(
            userId,
            refs.stream()
                .map(r -> new FileAttachments.EntryRef(r.conversationId(), r.seq()))
                .toList());
  }

  /**
   * Profiles are visible to everyone but those their owner blocked (get_profiles), and so are
   * avatars; blocks are the message service's.
   */
  public static ProfileVisibility profiles(Database database) {
    Relations relations = new Relations();
    return (viewer, owner) ->
        !database.jdbi().withHandle(h -> relations.isBlocked(h, owner, viewer));
  }

  public static FileAttachments attachments(Attachments files) {
    return new FileAttachments() {
      @Override
      public AttachedFile find(long userId, long fileId) {
        Attachable a = files.find(userId, fileId);
        return new AttachedFile(
            a.fileId(),
            a.name(),
            a.mimeType(),
            a.contentType(),
            a.size(),
            a.width() == null ? 0 : a.width(),
            a.height() == null ? 0 : a.height(),
            a.facts().preview(),
            a.facts().thumbnails().stream()
                .map(t -> new Content.Thumbnail(t.variant(), t.width(), t.height(), t.size()))
                .toList(),
            a.mediaNote(),
            false);
      }

      @Override
      public Set<Long> lock(Handle h, long[] fileIds, List<EntryRef> releasing) {
        return files.lock(h, fileIds, refs(releasing));
      }

      @Override
      public void reference(Handle h, long[] fileIds, List<EntryRef> at, Instant now) {
        files.reference(h, fileIds, refs(at), now);
      }

      @Override
      public void release(Handle h, List<EntryRef> entries, Instant now) {
        files.release(h, refs(entries), now);
      }
    };
  }

  private static List<MessageRef> refs(List<FileAttachments.EntryRef> entries) {
    return entries.stream().map(e -> new MessageRef(e.conversationId(), e.seq())).toList();
  }
}
