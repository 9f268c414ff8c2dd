package dev.parley.file.media;

/**
 * Makes what a chat needs from a verified upload of a visual type: dimensions, thumbnails, an
 * inline preview. The image package ({@code dev.parley.file.image}) implements it; the upload core
 * calls it after the bytes have been verified and before the file becomes usable, and stores what
 * it returns. Without a processor (none configured), images are stored as they are and their file
 * says {@code UNPROCESSED}: there is no do-nothing implementation that would pretend otherwise.
 *
 * <p>Implementations bound their own work (a pool, a pixel limit) and store their derived objects
 * themselves, under keys derived from {@link MediaSource#objectKey()}.
 */
public interface MediaProcessor {

  /** Whether this processor makes anything of this (verified, sniffed) MIME type. */
  boolean handles(String mimeType);

  /**
   * Processes one stored object. Throwing {@link MediaRejectedException} refuses the upload (a
   * decompression bomb, a corrupt image); any other exception leaves the file usable, marked {@code
   * FAILED}.
   */
  MediaResult process(MediaSource source);
}
