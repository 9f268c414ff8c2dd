package dev.parley.push.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.proto.internal.DeliverRequest;
import dev.parley.proto.internal.DeliverResponse;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.GatewayServiceGrpc;
import dev.parley.testkit.TestCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's channels to gateways in a cluster with mutual TLS: a gateway endpoint that
 * accepts only TLS with a client certificate (as cluster.tls configures it) receives deliveries
 * over channels made with the cluster's credentials, and refuses the plaintext channels the
 * dispatcher used to open whatever the configuration.
 */
class GatewayChannelsTlsTest {
  @TempDir Path dir;
  private TestCertificates certs;
  private Server gateway;
  private final List<Delivery> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startTlsOnlyGateway() throws Exception {
    certs = TestCertificates.create(dir);
    gateway =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(
                GrpcSslContexts.forServer(certs.cert().toFile(), certs.key().toFile())
                    .trustManager(certs.ca().toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build())
            .addService(
                new GatewayServiceGrpc.GatewayServiceImplBase() {
                  @Override
                  public void deliver(
                      DeliverRequest request, StreamObserver<DeliverResponse> response) {
                    received.addAll(request.getDeliveriesList());
                    response.onNext(DeliverResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private void deliver(ChannelCredentials credentials, long userId) {
    try (GatewayChannels channels =
        GatewayChannels.network(credentials, Clock.systemUTC(), Duration.ofMinutes(1))) {
      GatewayServiceGrpc.newBlockingStub(channels.channel("127.0.0.1:" + gateway.getPort()))
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .deliver(
              DeliverRequest.newBuilder()
                  .addDeliveries(Delivery.newBuilder().addUserIds(userId))
                  .build());
    }
  }

  @Test
  void deliversOverMutualTlsWithTheClusterCredentials() throws Exception {
    ChannelCredentials cluster =
        TlsChannelCredentials.newBuilder()
            .keyManager(certs.cert().toFile(), certs.key().toFile())
            .trustManager(certs.ca().toFile())
            .build();
    deliver(cluster, 7);
    assertThat(received).extracting(d -> d.getUserIds(0)).containsExactly(7L);
  }

  @Test
  void aPlaintextChannelIsRefused() {
    assertThatThrownBy(() -> deliver(InsecureChannelCredentials.create(), 8))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(received).isEmpty();
  }
}
