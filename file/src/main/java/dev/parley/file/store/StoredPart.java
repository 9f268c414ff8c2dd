package dev.parley.file.store;

/** One part of a multipart upload as S3 holds it. */
public record StoredPart(int partNumber, String etag, long size) {}
