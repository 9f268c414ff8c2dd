package dev.parley.msg;

import dev.parley.common.bus.LocalDeliveryBus;
import dev.parley.common.grpc.CallContext;
import dev.parley.common.grpc.GrpcErrors;
import dev.parley.common.id.Snowflake;
import dev.parley.msg.core.UserDirectory;
import dev.parley.proto.client.Error;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.GroupServiceGrpc;
import dev.parley.proto.internal.MessageServiceGrpc;
import dev.parley.proto.internal.RelationServiceGrpc;
import dev.parley.proto.internal.SearchServiceGrpc;
import dev.parley.proto.internal.SettingsServiceGrpc;
import dev.parley.testkit.PostgresExtension;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The message service over in-process gRPC against a real PostgreSQL database, with a controllable
 * clock, a fake user directory (every id in {@link #users} exists), and every published Delivery
 * recorded. Stubs act as a given user: {@code messages(alice)}. Optionally with a recent-entries
 * cache; its meters (and the module's others) are in {@link #meters}.
 */
public final class MsgHarness implements AutoCloseable {
  public final Set<Long> users = ConcurrentHashMap.newKeySet();

  /** The role changes reported to the fake user directory, as "user group actor role". */
  public final List<String> roleChanges = new CopyOnWriteArrayList<>();

  public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  public final AtomicLong clockOffsetMs = new AtomicLong();
  public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  public final MsgModule module;
  private final Server server;
  private final ManagedChannel channel;
  private final AtomicLong sessions = new AtomicLong(1000);

  public final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.now().plusMillis(clockOffsetMs.get());
        }
      };

  public MsgHarness(PostgresExtension postgres, Function<MsgConfig, MsgConfig> configure) {
    this(postgres, configure, RecentCache.none());
  }

  public MsgHarness(
      PostgresExtension postgres,
      Function<MsgConfig, MsgConfig> configure,
      RecentCache recentCache) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("parley-msg");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalDeliveryBus bus = new LocalDeliveryBus();
    bus.subscribe(deliveries::add);
    UserDirectory directory =
        new UserDirectory() {
          @Override
          public boolean exists(long userId) {
            return users.contains(userId);
          }

          @Override
          public java.util.Map<Long, Profile> profiles(java.util.Collection<Long> userIds) {
            // The user service is not part of these tests: every known user is named by id.
            java.util.Map<Long, Profile> named = new java.util.HashMap<>();
            for (long id : userIds)
              if (users.contains(id)) named.put(id, new Profile(id, "user " + id, "", ""));
            return named;
          }

          @Override
          public void roleChanged(long userId, long groupId, long actorId, String role) {
            roleChanges.add(userId + " " + groupId + " " + actorId + " " + role);
          }
        };
    module =
        MsgModule.create(
            configure.apply(defaults()),
            postgres.database(),
            clock,
            new Snowflake(1, clock),
            bus,
            directory,
            dev.parley.msg.core.FileAttachments.NONE,
            dataDir,
            meters,
            recentCache,
            new dev.parley.common.presence.LocalPresence(clock));
    String name = "msg-" + UUID.randomUUID();
    InProcessServerBuilder b =
        InProcessServerBuilder.forName(name).executor(Executors.newVirtualThreadPerTaskExecutor());
    module
        .grpcServices()
        .forEach(
            s ->
                b.addService(
                    ServerInterceptors.intercept(
                        s, GrpcErrors.serverInterceptor(), CallContext.serverInterceptor())));
    try {
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /**
   * A harness whose content key is {@code key}, for tests that also read or write entries directly
   * and must share the key with the service.
   */
  public static MsgHarness withContentKey(PostgresExtension postgres, byte[] key) {
    String encoded = java.util.Base64.getEncoder().encodeToString(key);
    return new MsgHarness(postgres, c -> withContentKey(c, encoded));
  }

  public static MsgConfig defaults() {
    return new MsgConfig(
        "anyone",
        200,
        4000,
        Duration.ofHours(24),
        Duration.ofDays(30),
        Duration.ZERO,
        Map.of(),
        0,
        2,
        Duration.ofHours(48),
        MsgConfig.DEFAULT_MAX_PINNED_CHATS,
        MsgConfig.DEFAULT_MAX_PINNED_MESSAGES,
        MsgConfig.Reactions.defaults(),
        MsgConfig.DEFAULT_PRESENCE_GRACE,
        MsgConfig.Search.defaults());
  }

  /** {@code c} with one content key, id 1, active. */
  public static MsgConfig withContentKey(MsgConfig c, String base64Key) {
    return copy(c, c.directChat(), c.historyRetention(), Map.of("1", base64Key), 1);
  }

  /** {@code c} with one-to-one chats between friends only. */
  public static MsgConfig friendsOnly(MsgConfig c) {
    return copy(c, "friends", c.historyRetention(), c.contentKeys(), c.activeContentKey());
  }

  /** {@code c} with history kept for {@code retention}. */
  public static MsgConfig withHistoryRetention(MsgConfig c, Duration retention) {
    return copy(c, c.directChat(), retention, c.contentKeys(), c.activeContentKey());
  }

  /** {@code c} with message search configured as {@code search}. */
  public static MsgConfig withSearch(MsgConfig c, MsgConfig.Search search) {
    return copy(
        c, c.directChat(), c.historyRetention(), c.contentKeys(), c.activeContentKey(), search);
  }

  private static MsgConfig copy(
      MsgConfig c,
      String directChat,
      Duration historyRetention,
      Map<String, String> contentKeys,
      int activeContentKey) {
    return copy(c, directChat, historyRetention, contentKeys, activeContentKey, c.search());
  }

  private static MsgConfig copy(
      MsgConfig c,
      String directChat,
      Duration historyRetention,
      Map<String, String> contentKeys,
      int activeContentKey,
      MsgConfig.Search search) {
    return new MsgConfig(
        directChat,
        c.maxGroupMembers(),
        c.maxTextLength(),
        c.recallWindow(),
        c.feedRetention(),
        historyRetention,
        contentKeys,
        activeContentKey,
        c.sendWriters(),
        c.editWindow(),
        c.maxPinnedChats(),
        c.maxPinnedMessages(),
        c.reactions(),
        c.presenceGrace(),
        search);
  }

  /** A new user id that the fake directory knows. */
  public long newUser() {
    long id = 1_000_000 + users.size() + 1 + (long) (Math.random() * 1_000_000_000L);
    users.add(id);
    return id;
  }

  private CallContext as(long userId) {
    return new CallContext(userId, sessions.incrementAndGet(), "127.0.0.1");
  }

  public MessageServiceGrpc.MessageServiceBlockingStub messages(long userId) {
    return MessageServiceGrpc.newBlockingStub(channel)
        .withInterceptors(as(userId).asClientInterceptor());
  }

  /** A stub for a fixed session (so that acks of one device land on one cursor). */
  public MessageServiceGrpc.MessageServiceBlockingStub messages(long userId, long sessionId) {
    return MessageServiceGrpc.newBlockingStub(channel)
        .withInterceptors(new CallContext(userId, sessionId, "127.0.0.1").asClientInterceptor());
  }

  public GroupServiceGrpc.GroupServiceBlockingStub groups(long userId) {
    return GroupServiceGrpc.newBlockingStub(channel)
        .withInterceptors(as(userId).asClientInterceptor());
  }

  public RelationServiceGrpc.RelationServiceBlockingStub relations(long userId) {
    return RelationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(as(userId).asClientInterceptor());
  }

  public SearchServiceGrpc.SearchServiceBlockingStub search(long userId) {
    return SearchServiceGrpc.newBlockingStub(channel)
        .withInterceptors(as(userId).asClientInterceptor());
  }

  public SettingsServiceGrpc.SettingsServiceBlockingStub settings(long userId) {
    return SettingsServiceGrpc.newBlockingStub(channel)
        .withInterceptors(as(userId).asClientInterceptor());
  }

  /** The error a failed call ended with. */
  public static Error error(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return GrpcErrors.toError(e);
    }
    throw new AssertionError("expected the call to fail");
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    module.close();
  }
}
