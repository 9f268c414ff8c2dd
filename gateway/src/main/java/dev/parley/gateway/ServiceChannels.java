package dev.parley.gateway;

/**
 * The gRPC channels to the services the gateway forwards to: in-process in single node, network
 * channels in a cluster. The gateway never shuts them down; their owner does.
 *
 * @param user the user service (accounts, sessions, profiles)
 */
public record ServiceChannels(io.grpc.Channel user) {}
