package dev.parley.file.upload;

import dev.parley.file.db.FileRow;
import dev.parley.file.store.PresignedUrl;

/** A presigned GET of a file, and the file. */
public record Download(PresignedUrl get, FileRow file) {}
