package dev.parley.gateway.cluster;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.proto.internal.DeliverRequest;
import dev.parley.proto.internal.DeliverResponse;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.GatewayServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * The gateway's internal endpoint in a cluster: the dispatcher hands it, per poll batch, the
 * deliveries for the devices it holds, and it publishes them in order to its own local bus, to
 * which its fan-out is subscribed, exactly as a service in the single node would.
 *
 * <p>The call answers once every delivery has been handed to the fan-out, which only queues writes
 * on the connections' event loops, so it is quick; a delivery the fan-out rejects is logged by the
 * local bus and does not fail the others (the device catches up by sync).
 */
public final class GatewayDeliveryService extends GatewayServiceGrpc.GatewayServiceImplBase {
  private final DeliveryBus localBus;

  public GatewayDeliveryService(DeliveryBus localBus) {
    this.localBus = localBus;
  }

  @Override
  public void deliver(DeliverRequest request, StreamObserver<DeliverResponse> response) {
    for (Delivery delivery : request.getDeliveriesList()) localBus.publish(delivery);
    response.onNext(DeliverResponse.getDefaultInstance());
    response.onCompleted();
  }
}
