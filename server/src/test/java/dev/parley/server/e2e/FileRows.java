package dev.parley.server.e2e;

import java.sql.Timestamp;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** What the file tables say about a file: its references and whether its content is due. */
final class FileRows {
  private FileRows() {}

  /** The file's blob's delete_after: empty while something references the file. */
  static Optional<Timestamp> deleteAfter(Jdbi jdbi, String fileId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT b.delete_after FROM file.blobs b JOIN file.files f"
                        + " ON f.blob_id = b.blob_id WHERE f.file_id = :f")
                .bind("f", Long.parseLong(fileId))
                .mapTo(Timestamp.class)
                .findOne());
  }

  /** How many references (messages and avatars) the file has. */
  static int refs(Jdbi jdbi, String fileId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM file.refs WHERE file_id = :f")
                .bind("f", Long.parseLong(fileId))
                .mapTo(Integer.class)
                .one());
  }
}
