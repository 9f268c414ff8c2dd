package dev.parley.gateway.http;

import dev.parley.gateway.metrics.GatewayMetrics;
import dev.parley.gateway.net.ClientAddress;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a plain HTTP connection's pipeline: what clients do wrong (drop the connection in the
 * middle of a request, reset it, send bytes that are not HTTP) costs one DEBUG line and a counter,
 * and closes the connection. Without it such errors reach the pipeline's tail, which logs each one
 * at WARN with a stack trace: any client could fill the log at will. Anything else is ours: one
 * WARN with the trace. The WebSocket upgrade removes this handler; the connection handler takes
 * over.
 */
public final class HttpFaults extends ChannelInboundHandlerAdapter {
  public static final String NAME = "http-faults";
  private static final Logger log = LoggerFactory.getLogger(HttpFaults.class);

  private final GatewayMetrics metrics;

  public HttpFaults(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String ip = ClientAddress.of(ctx.channel());
    if (cause instanceof PrematureChannelClosureException) {
      log.debug("HTTP connection from {} dropped in the middle of a request", ip);
      metrics.clientFault("dropped-mid-request");
    } else if (cause instanceof DecoderException) {
      log.debug("Undecodable input (HTTP or TLS) from {}: {}", ip, cause.toString());
      metrics.clientFault("undecodable");
    } else if (cause instanceof IOException) {
      log.debug("HTTP connection from {} failed: {}", ip, cause.toString());
    } else {
      log.warn("Unexpected failure on the HTTP connection from {}", ip, cause);
    }
    ctx.close();
  }
}
