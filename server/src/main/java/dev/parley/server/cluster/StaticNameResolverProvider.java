package dev.parley.server.cluster;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code static:///host1:port,host2:port} to a fixed list of addresses, for clusters
 * without DNS-based discovery. (Kubernetes headless services use gRPC's own {@code dns:///}
 * resolver.)
 */
public final class StaticNameResolverProvider extends NameResolverProvider {
  public static final String SCHEME = "static";

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public @Nullable NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) return null;
    String list =
        target.getPath().startsWith("/") ? target.getPath().substring(1) : target.getPath();
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    for (String hostPort : list.split(",")) {
      String h = hostPort.trim();
      int colon = h.lastIndexOf(':');
      if (h.isEmpty() || colon <= 0)
        throw new IllegalArgumentException("static target needs host:port entries: " + target);
      SocketAddress address =
          new InetSocketAddress(h.substring(0, colon), Integer.parseInt(h.substring(colon + 1)));
      groups.add(new EquivalentAddressGroup(address));
    }
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return "parley";
      }

      @Override
      public void start(Listener2 listener) {
        if (groups.isEmpty()) {
          listener.onError(Status.UNAVAILABLE.withDescription("empty static target"));
          return;
        }
        listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
      }

      @Override
      public void shutdown() {}
    };
  }
}
