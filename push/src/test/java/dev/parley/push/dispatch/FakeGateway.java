package dev.parley.push.dispatch;

import dev.parley.proto.internal.DeliverRequest;
import dev.parley.proto.internal.DeliverResponse;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.GatewayServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A gateway's internal endpoint on a real port of 127.0.0.1 that records what it is handed. */
final class FakeGateway implements AutoCloseable {
  final List<Delivery> received = new CopyOnWriteArrayList<>();
  final List<DeliverRequest> calls = new CopyOnWriteArrayList<>();

  /** Runs after a call was recorded, before it is answered. */
  volatile Consumer<DeliverRequest> onDeliver = r -> {};

  private final Server server;

  FakeGateway() {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(
                  new GatewayServiceGrpc.GatewayServiceImplBase() {
                    @Override
                    public void deliver(
                        DeliverRequest request, StreamObserver<DeliverResponse> response) {
                      calls.add(request);
                      received.addAll(request.getDeliveriesList());
                      onDeliver.accept(request);
                      response.onNext(DeliverResponse.getDefaultInstance());
                      response.onCompleted();
                    }
                  })
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
