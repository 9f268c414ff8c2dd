package dev.parley.msg.grpc;

import dev.parley.proto.internal.RelationServiceGrpc;

/** The gRPC edge of friends and blocks. */
public final class RelationGrpcService extends RelationServiceGrpc.RelationServiceImplBase {}
