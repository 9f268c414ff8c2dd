package dev.parley.file.upload;

import dev.parley.file.store.ObjectHead;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.store.PendingMultipart;
import dev.parley.file.store.PresignedUrl;
import dev.parley.file.store.StoredPart;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The real store, every call passed through; tests override one step to stop or slow a completion
 * there (not a mock: every byte still goes to the S3 server).
 */
class DelegatingStore implements ObjectStore {
  private final ObjectStore store;

  DelegatingStore(ObjectStore store) {
    this.store = store;
  }

  @Override
  public PresignedUrl presignPut(String key, String contentType, Duration ttl) {
    return store.presignPut(key, contentType, ttl);
  }

  @Override
  public PresignedUrl presignPart(String key, String multipartId, int partNumber, Duration ttl) {
    return store.presignPart(key, multipartId, partNumber, ttl);
  }

  @Override
  public PresignedUrl presignGet(
      String key, String contentType, String contentDisposition, Duration ttl) {
    return store.presignGet(key, contentType, contentDisposition, ttl);
  }

  @Override
  public String createMultipart(String key, String contentType) {
    return store.createMultipart(key, contentType);
  }

  @Override
  public Optional<List<StoredPart>> listParts(String key, String multipartId) {
    return store.listParts(key, multipartId);
  }

  @Override
  public void completeMultipart(String key, String multipartId, List<StoredPart> parts) {
    store.completeMultipart(key, multipartId, parts);
  }

  @Override
  public void abortMultipart(String key, String multipartId) {
    store.abortMultipart(key, multipartId);
  }

  @Override
  public List<PendingMultipart> listMultipartUploads(String prefix) {
    return store.listMultipartUploads(prefix);
  }

  @Override
  public Optional<ObjectHead> head(String key) {
    return store.head(key);
  }

  @Override
  public InputStream get(String key) {
    return store.get(key);
  }

  @Override
  public InputStream getRange(String key, long offset, long length) {
    return store.getRange(key, offset, length);
  }

  @Override
  public void put(String key, String contentType, byte[] bytes) {
    store.put(key, contentType, bytes);
  }

  @Override
  public void put(String key, String contentType, Path file) {
    store.put(key, contentType, file);
  }

  @Override
  public List<String> list(String prefix) {
    return store.list(prefix);
  }

  @Override
  public dev.parley.file.store.ObjectPage listPage(String prefix, String startAfter, int max) {
    return store.listPage(prefix, startAfter, max);
  }

  @Override
  public void delete(String key) {
    store.delete(key);
  }
}
