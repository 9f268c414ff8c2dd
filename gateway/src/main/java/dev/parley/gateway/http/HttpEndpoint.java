package dev.parley.gateway.http;

import com.google.common.util.concurrent.ListenableFuture;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Serves one path. Called on the event loop; must not block. The request is only valid during the
 * call (the router releases it afterwards), so read what is needed before returning. The future
 * must not fail: every error is a reply.
 */
@FunctionalInterface
public interface HttpEndpoint {
  ListenableFuture<HttpReply> handle(FullHttpRequest request, String clientIp);
}
