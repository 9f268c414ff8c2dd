package dev.parley.file.upload;

import com.google.protobuf.ByteString;
import dev.parley.common.db.Database;
import dev.parley.common.grpc.CallContext;
import dev.parley.common.grpc.GrpcErrors;
import dev.parley.common.id.Snowflake;
import dev.parley.file.FileConfig;
import dev.parley.file.FileModule;
import dev.parley.file.image.ImageConfig;
import dev.parley.file.media.MediaProcessor;
import dev.parley.file.store.EmbeddedS3;
import dev.parley.file.store.S3ObjectStore;
import dev.parley.file.store.S3Settings;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetUploadPartsRequest;
import dev.parley.proto.client.PresignedRequest;
import dev.parley.proto.internal.FileServiceGrpc;
import dev.parley.proto.internal.FileServiceGrpc.FileServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The file service over in-process gRPC, as the gateway reaches it, against a real embedded S3
 * (s3proxy, encrypted filesystem back end in a temp directory) and a real PostgreSQL; only the
 * clock is the test's. Clients send bytes with java.net.http, as any HTTP client would.
 */
final class FileHarness implements AutoCloseable {
  static final long MIB = 1024 * 1024;
  private static final AtomicLong USERS = new AtomicLong(1000);

  final MutableClock clock = new MutableClock();
  final Path objectsDir;
  final EmbeddedS3 s3;
  final S3ObjectStore store;
  final FileModule module;
  final HttpClient http = HttpClient.newHttpClient();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Server server;
  private final ManagedChannel channel;

  FileHarness(Database database) {
    this(database, null, dev.parley.file.refs.MessageVisibility.NONE);
  }

  /** With this media processor (the caller closes it); null: images stay UNPROCESSED. */
  FileHarness(Database database, @Nullable MediaProcessor media) {
    this(database, media, dev.parley.file.refs.MessageVisibility.NONE);
  }

  /**
   * @param media the media processor (the caller closes it); null: images stay UNPROCESSED
   * @param visibility who may see which messages (the message service's answer in the server)
   */
  FileHarness(
      Database database,
      @Nullable MediaProcessor media,
      dev.parley.file.refs.MessageVisibility visibility) {
    try {
      Path dir = Files.createTempDirectory("parley-file-test");
      objectsDir = dir.resolve("objects");
      s3 = EmbeddedS3.start(objectsDir, dir.resolve("keys"), "127.0.0.1", 0, true, List.of());
      store =
          new S3ObjectStore(
              new S3Settings(
                  s3.endpoint(),
                  s3.endpoint(),
                  "us-east-1",
                  "parley-test",
                  s3.accessKey(),
                  s3.secretKey(),
                  true,
                  false));
      module =
          FileModule.create(
              config(),
              database,
              clock,
              new Snowflake(1, Clock.systemUTC()),
              store,
              new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
              media,
              visibility,
              dev.parley.file.refs.ProfileVisibility.NONE);
      module.janitor().close(); // tests run passes by hand
      module.blobJanitor().close();
      String name = "file-test-" + UUID.randomUUID();
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

  /** The module's completer, to play a completion that dies half-way. */
  Completer completer() {
    return module.completer();
  }

  static FileConfig config() {
    return new FileConfig(
        new FileConfig.S3("", "", "us-east-1", "parley-test", "", "", true, false),
        new FileConfig.Embedded("127.0.0.1", 0, "objects", true, "", List.of("*")),
        2048 * MIB,
        Map.of("image", 50 * MIB),
        List.of("image/*", "video/*", "text/plain", "application/pdf", "application/octet-stream"),
        5 * MIB,
        Duration.ofHours(24),
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofMinutes(1),
        Duration.ofDays(7),
        Duration.ofHours(24),
        new FileConfig.Sweep(Duration.ofHours(72), 1000),
        ImageConfig.defaults());
  }

  static long newUser() {
    return USERS.incrementAndGet() + ThreadLocalRandom.current().nextLong(1L << 40) * 10_000;
  }

  FileServiceBlockingStub as(long userId) {
    return FileServiceGrpc.newBlockingStub(channel)
        .withInterceptors(new CallContext(userId, userId + 1, "192.0.2.1").asClientInterceptor());
  }

  static CreateUploadRequest.Builder upload(byte[] content, String mime, String name) {
    return CreateUploadRequest.newBuilder()
        .setSize(content.length)
        .setMimeType(mime)
        .setSha256(ByteString.copyFrom(sha256(content)))
        .setName(name);
  }

  static CompleteUploadRequest complete(CreateUploadResponse plan) {
    return CompleteUploadRequest.newBuilder().setUploadId(plan.getUploadId()).build();
  }

  static GetUploadPartsRequest parts(CreateUploadResponse plan) {
    return GetUploadPartsRequest.newBuilder().setUploadId(plan.getUploadId()).build();
  }

  /** Sends a presigned request with its signed headers; returns the HTTP status. */
  int send(PresignedRequest p, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(p.getUrl()))
            .method(p.getMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    p.getHeadersMap().forEach(b::header);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> get(PresignedRequest p) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(p.getUrl())).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] random(int size) {
    byte[] b = new byte[size];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  /** The error a call failed with (the test fails if it succeeded). */
  static Error error(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return GrpcErrors.toError(e);
    }
    throw new AssertionError("the call should have failed");
  }

  static Reason reason(Runnable call) {
    return error(call).getReason();
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    executor.shutdownNow();
    module.close();
    s3.close();
  }
}
