package dev.parley.msg.core.content;

import dev.parley.msg.store.EntryKind;
import java.util.List;

/**
 * What an entry of a conversation log says: the domain form, free of any wire or storage format.
 * The gRPC edge turns client requests into it and it into client messages; the store serializes it
 * (ContentCodec). A recalled entry has no content at all.
 */
public sealed interface Content {

  /** The kind stored with the entry (and counted for unread when {@link EntryKind#countable}). */
  EntryKind kind();

  record Text(String text) implements Content {
    @Override
    public EntryKind kind() {
      return EntryKind.TEXT;
    }
  }

  /**
   * An image by file reference. Everything but {@code fileId} and {@code caption} (which may be
   * empty) is filled in by the server from the verified file when the message is sent.
   *
   * @param width 0 when the image was not measured (not processed)
   * @param preview a tiny JPEG, or empty
   * @param thumbnails smallest first
   * @param mediaNote why there are no thumbnails; empty otherwise
   */
  record Image(
      String fileId,
      int width,
      int height,
      long size,
      String mimeType,
      String caption,
      byte[] preview,
      List<Thumbnail> thumbnails,
      String mediaNote,
      boolean animated)
      implements Content {
    public Image {
      preview = preview.clone();
      thumbnails = List.copyOf(thumbnails);
    }

    /** As a client sends it: only the file and the caption. */
    public static Image of(String fileId, String caption) {
      return new Image(fileId, 0, 0, 0, "", caption, new byte[0], List.of(), "", false);
    }

    @Override
    public byte[] preview() {
      return preview.clone();
    }

    @Override
    public EntryKind kind() {
      return EntryKind.IMAGE;
    }
  }

  /** A server-made thumbnail of an image: fetched as {@code variant} of the image's file. */
  record Thumbnail(String variant, int width, int height, long size) {}

  /**
   * A file by reference; {@code caption} may be empty; {@code name} empty when sent means the
   * uploaded name. Size and type are filled in by the server from the verified file.
   */
  record File(String fileId, String name, long size, String mimeType, String caption)
      implements Content {
    @Override
    public EntryKind kind() {
      return EntryKind.FILE;
    }
  }

  /**
   * A change of a group, written by the server. {@code userIds}: whom it names (see {@link
   * ServiceAction}); {@code title} for GROUP_CREATED and TITLE_CHANGED; {@code role} (a MemberRow
   * role) for ROLE_CHANGED.
   */
  record Service(ServiceAction action, long actorId, List<Long> userIds, String title, int role)
      implements Content {
    public Service {
      userIds = List.copyOf(userIds);
      title = title == null ? "" : title;
    }

    public static Service of(ServiceAction action, long actorId, List<Long> userIds) {
      return new Service(action, actorId, userIds, "", 0);
    }

    @Override
    public EntryKind kind() {
      return EntryKind.SERVICE;
    }
  }

  /**
   * This entry edits entry {@code targetSeq} of the same log: its text (or caption) is now {@code
   * text}. The mentions of an edited text travel in the entry's {@link Extras}.
   */
  record Edit(long targetSeq, String text) implements Content {
    @Override
    public EntryKind kind() {
      return EntryKind.EDIT;
    }
  }

  /**
   * This entry changes its sender's reactions on entry {@code targetSeq} of the same log to {@code
   * emoji} (empty: none); {@code counts} are the target's reactions right after the change
   * (design.md 13.4).
   */
  record Reaction(long targetSeq, List<String> emoji, List<ReactionCount> counts)
      implements Content {
    public Reaction {
      emoji = List.copyOf(emoji);
      counts = List.copyOf(counts);
    }

    @Override
    public EntryKind kind() {
      return EntryKind.REACTION;
    }
  }

  /**
   * This entry pins ({@code pinned}) or unpins entry {@code targetSeq} of the same log (design.md
   * 13.5).
   */
  record Pin(long targetSeq, boolean pinned) implements Content {
    @Override
    public EntryKind kind() {
      return EntryKind.PIN;
    }
  }

  /** This entry recalls entry {@code targetSeq} of the same log. */
  record Recall(long targetSeq) implements Content {
    @Override
    public EntryKind kind() {
      return EntryKind.RECALL;
    }
  }
}
