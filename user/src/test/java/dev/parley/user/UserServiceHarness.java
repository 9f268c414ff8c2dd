package dev.parley.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.parley.common.bus.LocalDeliveryBus;
import dev.parley.common.db.Database;
import dev.parley.common.grpc.CallContext;
import dev.parley.common.grpc.GrpcErrors;
import dev.parley.common.id.Snowflake;
import dev.parley.common.ratelimit.LocalRateLimiter;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.UserServiceGrpc;
import dev.parley.proto.internal.UserServiceGrpc.UserServiceBlockingStub;
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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The user module served over the in-process gRPC transport the way the composition root serves it
 * (virtual-thread executor, GrpcErrors and CallContext interceptors), with a movable clock, a
 * captured delivery bus and codes read from the development sink's file.
 */
public final class UserServiceHarness implements AutoCloseable {
  private static final AtomicLong COUNTER = new AtomicLong();

  public final MutableClock clock = MutableClock.startingNow();
  public final LocalDeliveryBus bus = new LocalDeliveryBus();
  public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  public final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  public final Path dataDir;
  public final UserModule module;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Server server;
  private final ManagedChannel channel;
  private final Map<String, Integer> codesSeen = new ConcurrentHashMap<>();

  /**
   * A stand-in for the file service (another process): any file id is accepted as an avatar. The
   * real checks and references are tested end to end in the server's AvatarsIT.
   */
  public static final AvatarRefs ACCEPTING_AVATARS =
      new AvatarRefs() {
        private final java.util.concurrent.atomic.AtomicLong generations =
            new java.util.concurrent.atomic.AtomicLong();

        @Override
        public long take(long userId, String fileId) {
          return generations.incrementAndGet();
        }

        @Override
        public void releaseBefore(long userId, long generation) {}
      };

  /** "blocker>user" pairs the fake block list reports as blocked. */
  public final java.util.Set<String> blocks = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public UserServiceHarness(Database database, UserConfig config) {
    try {
      dataDir = Files.createTempDirectory("parley-user-test");
      bus.subscribe(deliveries::add);
      module =
          UserModule.create(
              config,
              database,
              clock,
              new Snowflake(1, clock),
              bus,
              new LocalRateLimiter(clock),
              dataDir,
              metrics,
              (blocker, user) -> blocks.contains(blocker + ">" + user),
              ACCEPTING_AVATARS,
              false);
      String name = "user-test-" + UUID.randomUUID();
      server =
          InProcessServerBuilder.forName(name)
              .executor(executor)
              .addService(
                  ServerInterceptors.intercept(
                      module.grpcService(),
                      GrpcErrors.serverInterceptor(),
                      CallContext.serverInterceptor()))
              .build()
              .start();
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A caller that has not logged in, from a given address. */
  public UserServiceBlockingStub anonymous(String ip) {
    return UserServiceGrpc.newBlockingStub(channel)
        .withInterceptors(CallContext.anonymous(ip).asClientInterceptor());
  }

  public UserServiceBlockingStub anonymous() {
    return anonymous("192.0.2.1");
  }

  /** The gateway calling on behalf of the session the tokens belong to. */
  public UserServiceBlockingStub as(AuthTokens tokens) {
    return UserServiceGrpc.newBlockingStub(channel)
        .withInterceptors(
            new CallContext(tokens.getUserId(), tokens.getSessionId(), "192.0.2.1")
                .asClientInterceptor());
  }

  public static String uniqueEmail() {
    return "user"
        + COUNTER.incrementAndGet()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8)
        + "@example.com";
  }

  public static String uniquePhone() {
    long n = 100_000_000L + (Math.abs(UUID.randomUUID().getLeastSignificantBits()) % 800_000_000L);
    return "+49" + n;
  }

  public static Identifier email(String address) {
    return Identifier.newBuilder().setEmail(address).build();
  }

  public static Identifier phone(String number) {
    return Identifier.newBuilder().setPhone(number).build();
  }

  public static DeviceInfo device(String deviceId) {
    return DeviceInfo.newBuilder()
        .setDeviceId(deviceId)
        .setPlatform(Platform.PLATFORM_WEB)
        .setName("Firefox on Linux")
        .build();
  }

  /** The next code the development sink wrote for the (normalized) identifier. */
  public String awaitCode(String identifier) {
    int seen = codesSeen.getOrDefault(identifier, 0);
    List<String> codes =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> codesFor(identifier), c -> c.size() > seen);
    codesSeen.put(identifier, codes.size());
    return codes.getLast();
  }

  private List<String> codesFor(String identifier) throws IOException {
    Path file = dataDir.resolve("dev-codes.log");
    if (!Files.exists(file)) return List.of();
    return Files.readAllLines(file).stream()
        .filter(l -> l.startsWith(identifier + " "))
        .map(l -> l.substring(identifier.length() + 1))
        .toList();
  }

  /** Requests a code for the identifier and returns it once delivered. */
  public String requestCode(Identifier id) {
    return requestCode(id, "192.0.2.1");
  }

  /** Requests a code from the given client address (tests of per-IP limits use their own). */
  public String requestCode(Identifier id, String ip) {
    anonymous(ip).requestCode(RequestCodeRequest.newBuilder().setIdentifier(id).build());
    return awaitCode(
        id.hasEmail()
            ? dev.parley.user.auth.Identifier.email(id.getEmail(), "identifier").value()
            : dev.parley.user.auth.Identifier.phone(id.getPhone(), "identifier").value());
  }

  /** Registers a new account for the identifier, on the given device. */
  public AuthTokens register(Identifier id, String password, String deviceId) {
    return register(id, password, deviceId, "192.0.2.1");
  }

  public AuthTokens register(Identifier id, String password, String deviceId, String ip) {
    String code = requestCode(id, ip);
    return anonymous(ip)
        .register(
            RegisterRequest.newBuilder()
                .setIdentifier(id)
                .setCode(code)
                .setPassword(password)
                .setDisplayName("Test User")
                .setDevice(device(deviceId))
                .build());
  }

  public AuthTokens registerEmail() {
    return register(email(uniqueEmail()), "", "");
  }

  public AuthTokens loginWithPassword(Identifier id, String password, String deviceId) {
    return anonymous()
        .login(
            LoginRequest.newBuilder()
                .setIdentifier(id)
                .setPassword(password)
                .setDevice(device(deviceId))
                .build());
  }

  /** The wire error the call failed with; fails the test when it did not fail. */
  public static Error error(Runnable call) {
    Throwable t = catchThrowable(call::run);
    assertThat(t).as("call should have failed").isNotNull();
    return GrpcErrors.toError(t);
  }

  public static Error.Reason reason(Runnable call) {
    return error(call).getReason();
  }

  public List<Delivery> deliveriesFor(long userId) {
    return deliveries.stream().filter(d -> d.getUserIdsList().contains(userId)).toList();
  }

  public double counter(String name, String... tags) {
    var counter = metrics.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() throws IOException {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdown();
    module.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
