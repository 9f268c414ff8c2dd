package dev.parley.file.store;

/** The object store failed or could not be reached; retrying later may succeed. */
public final class ObjectStoreException extends RuntimeException {
  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
