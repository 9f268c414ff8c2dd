package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.FileAttachments.AttachedFile;
import dev.parley.msg.core.content.Content;
import dev.parley.proto.client.Error.Reason;

/**
 * Turns an image or file message as a client sent it (a file id, a caption, for files a name) into
 * what is stored: the server fills in type, size, dimensions, preview, thumbnails and note from the
 * verified file, so a message never claims what its file is not. Runs before the send is queued;
 * whether the file can still be referenced is decided again under lock in the log writer.
 */
final class FileContents {
  private final FileAttachments files;

  FileContents(FileAttachments files) {
    this.files = files;
  }

  Content filled(long userId, Content content) {
    return switch (content) {
      case Content.Image i -> {
        AttachedFile f = files.find(userId, fileId(i.fileId()));
        if (!f.contentType().startsWith("image/")) {
          throw ParleyException.invalid(
              "image.file_id",
              "image.file_id must name an image; this file is "
                  + f.contentType()
                  + ": send it as"
                  + " a file");
        }
        yield new Content.Image(
            Long.toString(f.fileId()),
            f.width(),
            f.height(),
            f.size(),
            f.contentType(),
            i.caption(),
            f.preview(),
            f.thumbnails(),
            f.mediaNote(),
            f.animated());
      }
      case Content.File x -> {
        AttachedFile f = files.find(userId, fileId(x.fileId()));
        yield new Content.File(
            Long.toString(f.fileId()),
            x.name().isEmpty() ? f.name() : x.name(),
            f.size(),
            f.mimeType(),
            x.caption());
      }
      default -> content;
    };
  }

  /** File ids are decimal; anything else names no file (the same answer as a missing one). */
  private static long fileId(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) return id;
    } catch (NumberFormatException e) {
      // below
    }
    throw new ParleyException(Reason.NOT_FOUND, "No such file");
  }
}
