package dev.parley.file.media;

/**
 * Makes what a chat needs from a verified upload of a visual type: dimensions, thumbnails, an
 * inline preview, a copy of the original without metadata. The image package ({@code
 * dev.parley.file.image}) implements it; the upload core calls it after the bytes have been
 * verified and before the file becomes usable, stores what it returns and records it in the same
 * transaction that makes the file usable. Without a processor (none configured), images are stored
 * as they are and their file says {@code UNPROCESSED}: there is no do-nothing implementation that
 * would pretend otherwise.
 *
 * <p>Implementations bound their own work (a pool, a pixel limit, a time limit).
 */
public interface MediaProcessor {

  /** Whether this processor looks at this (verified, sniffed) MIME type. */
  boolean handles(String mimeType);

  /**
   * Processes one stored object.
   *
   * @throws MediaRejectedException the upload is refused (a decompression bomb, a corrupt image)
   * @throws MediaBusyException no room now: the completion is not decided, the client asks again
   *     later
   *     <p>Any other exception leaves the file usable without thumbnails, marked {@code FAILED}.
   */
  MediaResult process(MediaSource source);
}
