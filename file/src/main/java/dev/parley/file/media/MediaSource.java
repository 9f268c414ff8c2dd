package dev.parley.file.media;

import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A verified object to process: its key in the object store, its sniffed MIME type and size, and a
 * way to read it (each call opens a new stream, which the caller closes).
 */
public record MediaSource(
    String objectKey, String mimeType, long size, Supplier<InputStream> open) {}
