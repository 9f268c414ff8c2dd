package dev.parley.client;

/**
 * Progress of an upload or a download, called from the transfer's thread as bytes are handed to (or
 * read from) the network: keep it quick. {@code done} never decreases during one transfer except
 * when a failed request is retried (its bytes are counted again); for a resumed upload it starts at
 * the bytes already stored.
 */
@FunctionalInterface
public interface TransferProgress {
  TransferProgress NONE = (done, total) -> {};

  void update(long done, long total);
}
