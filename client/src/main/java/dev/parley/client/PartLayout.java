package dev.parley.client;

import dev.parley.proto.client.GetUploadPartsResponse;
import dev.parley.proto.client.PartUrl;
import dev.parley.proto.client.StoredPart;
import java.util.stream.Stream;

/**
 * How an upload's bytes are cut: one PUT (part 0, the whole content) or parts 1..count of {@code
 * partSize} bytes, the last one shorter.
 */
record PartLayout(long size, long partSize, int partCount, boolean single) {
  /** S3's smallest part but the last. */
  static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  static PartLayout single(long size) {
    return new PartLayout(size, size, 1, true);
  }

  static PartLayout multipart(long size, long partSize, int partCount) {
    return new PartLayout(size, partSize, partCount, false);
  }

  /**
   * The layout of an upload known only by its id (a resume after an app restart), from what {@code
   * get_upload_parts} (asked for every missing part) answers: part 0 means a single PUT; otherwise
   * the parts stored and missing are all of them, and a stored part other than the last has the
   * server's part size. With none stored, any cut into that many parts of at least 5 MiB (but the
   * last) completes the same way, since the server checks the assembled size and hash, not the cut;
   * the smallest valid one is taken.
   */
  static PartLayout of(long size, GetUploadPartsResponse parts) {
    boolean single =
        Stream.concat(
                parts.getStoredList().stream().map(StoredPart::getPartNumber),
                parts.getMissingList().stream().map(PartUrl::getPartNumber))
            .anyMatch(n -> n == 0);
    if (single) return single(size);
    int count = parts.getStoredCount() + parts.getMissingCount();
    if (count == 0) {
      throw new IllegalArgumentException("the upload has no parts (completed already?)");
    }
    long partSize =
        parts.getStoredList().stream()
            .filter(p -> p.getPartNumber() < count)
            .mapToLong(StoredPart::getSize)
            .findFirst()
            .orElse(Math.max(MIN_PART_SIZE, (size + count - 1) / count));
    return multipart(size, partSize, count);
  }

  long offset(int partNumber) {
    return single ? 0 : (partNumber - 1) * partSize;
  }

  int length(int partNumber) {
    return Math.toIntExact(Math.min(partSize, size - offset(partNumber)));
  }
}
