package dev.parley.common.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;

/**
 * A service this process knows but cannot serve as configured (a msg instance without object
 * storage has no file service): every call answers UNAVAILABLE with the reason, which is what the
 * protocol promises for it. Left unregistered, the caller would see UNIMPLEMENTED, which reads as
 * "no such operation" to a client, and nothing would say why.
 */
public final class UnservedService implements BindableService {
  private final ServiceDescriptor descriptor;
  private final String why;

  public UnservedService(ServiceDescriptor descriptor, String why) {
    this.descriptor = descriptor;
    this.why = why;
  }

  @Override
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor);
    for (MethodDescriptor<?, ?> method : descriptor.getMethods()) add(b, method);
    return b.build();
  }

  private <Q, R> void add(ServerServiceDefinition.Builder b, MethodDescriptor<Q, R> method) {
    b.addMethod(
        method,
        ServerCalls.<Q, R>asyncUnaryCall(
            (request, out) -> {
              throw new ParleyException(Reason.UNAVAILABLE, why);
            }));
  }
}
