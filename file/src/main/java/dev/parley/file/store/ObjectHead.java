package dev.parley.file.store;

/** What a HEAD request says about a stored object. */
public record ObjectHead(long size, String contentType) {}
