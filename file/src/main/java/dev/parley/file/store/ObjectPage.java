package dev.parley.file.store;

import java.time.Instant;
import java.util.List;

/**
 * One page of a listing, in key order.
 *
 * @param truncated whether more keys follow the last one of this page
 */
public record ObjectPage(List<Listed> objects, boolean truncated) {
  public ObjectPage {
    objects = List.copyOf(objects);
  }

  /** An object as listed: its key and when it was last written. */
  public record Listed(String key, Instant lastModified) {}
}
