package dev.parley.gateway;

/**
 * The gRPC channels to the services the gateway forwards to: in-process in single node, network
 * channels in a cluster. The gateway never shuts them down; their owner does.
 *
 * @param user the user service (accounts, sessions, profiles)
 * @param msg the message service (messages, sync, read state, groups, relations)
 */
public record ServiceChannels(io.grpc.Channel user, io.grpc.Channel msg) {}
