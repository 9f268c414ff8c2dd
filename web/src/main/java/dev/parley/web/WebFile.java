package dev.parley.web;

/**
 * One file of the web client as served.
 *
 * @param path the URL path, e.g. {@code /assets/js/main.3f2a1c9b0d.js}
 * @param immutable true for content-hashed names: a given path never changes content, so browsers
 *     may cache it for good; false for the entry page, which must be revalidated on every load
 * @param etag a strong validator of the content (quoted, as HTTP wants it)
 */
public record WebFile(
    String path, String contentType, byte[] body, boolean immutable, String etag) {}
