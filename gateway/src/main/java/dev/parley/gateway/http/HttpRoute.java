package dev.parley.gateway.http;

import io.netty.handler.codec.http.HttpMethod;

/** The one method a path accepts, and who serves it. */
public record HttpRoute(HttpMethod method, HttpEndpoint endpoint) {}
