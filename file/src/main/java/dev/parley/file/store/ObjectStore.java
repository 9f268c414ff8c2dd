package dev.parley.file.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The S3 operations the file service uses, and nothing more: small enough to read at a glance, and
 * to implement against another SDK should one ever be needed. Keys are the service's own ({@code
 * u/<upload id>}); nothing here knows about users, names or types beyond the Content-Type header.
 *
 * <p>Presigning computes a signature locally and makes no request. Every other method is a blocking
 * call to the store and throws {@link ObjectStoreException} when the store fails.
 */
public interface ObjectStore {

  /** A PUT of a whole object; the client must send {@code contentType} (it is signed). */
  PresignedUrl presignPut(String key, String contentType, Duration ttl);

  /** A PUT of one part of a multipart upload. */
  PresignedUrl presignPart(String key, String multipartId, int partNumber, Duration ttl);

  /** A GET answered with these Content-Type and Content-Disposition headers. */
  PresignedUrl presignGet(String key, String contentType, String contentDisposition, Duration ttl);

  /** Starts a multipart upload; returns its id. */
  String createMultipart(String key, String contentType);

  /** The parts stored so far, by part number; empty when the multipart upload does not exist. */
  Optional<List<StoredPart>> listParts(String key, String multipartId);

  void completeMultipart(String key, String multipartId, List<StoredPart> parts);

  /** Aborts a multipart upload; one that does not exist (any more) is not an error. */
  void abortMultipart(String key, String multipartId);

  /** Multipart uploads in progress whose key starts with {@code prefix}. */
  List<PendingMultipart> listMultipartUploads(String prefix);

  Optional<ObjectHead> head(String key);

  /** The whole object; the caller closes the stream. */
  InputStream get(String key);

  /** {@code length} bytes from {@code offset}; the caller closes the stream. */
  InputStream getRange(String key, long offset, long length);

  void put(String key, String contentType, byte[] bytes);

  /** A PUT of a file's content (streamed, not held in memory). */
  void put(String key, String contentType, Path file);

  /** The keys of the objects whose key starts with {@code prefix}. */
  List<String> list(String prefix);

  /**
   * At most {@code max} objects whose key starts with {@code prefix}, in key order, after {@code
   * startAfter} ("" from the first).
   */
  ObjectPage listPage(String prefix, String startAfter, int max);

  /** Deletes an object; one that does not exist is not an error. */
  void delete(String key);
}
