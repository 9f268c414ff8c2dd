package dev.parley.msg.grpc;

import dev.parley.proto.internal.GroupServiceGrpc;

/** The gRPC edge of group management. */
public final class GroupGrpcService extends GroupServiceGrpc.GroupServiceImplBase {}
