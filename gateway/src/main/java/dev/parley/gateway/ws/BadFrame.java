package dev.parley.gateway.ws;

/** Passed up by {@link FrameCodec} instead of a request when a data frame could not be decoded. */
public record BadFrame(String problem) {}
