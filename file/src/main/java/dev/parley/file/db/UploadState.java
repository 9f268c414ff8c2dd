package dev.parley.file.db;

import java.util.Locale;

/**
 * Where an upload stands (file.uploads.state).
 *
 * <pre>
 * OPEN ──complete_upload──▶ COMPLETING ──verified──▶ DONE
 *   │                          │ └──────refused──────▶ FAILED
 *   └──past expires_at──▶ EXPIRED     (lease ran out: completed again by the janitor)
 * </pre>
 */
public enum UploadState {
  OPEN,
  COMPLETING,
  DONE,
  FAILED,
  EXPIRED;

  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static UploadState of(String db) {
    return valueOf(db.toUpperCase(Locale.ROOT));
  }
}
