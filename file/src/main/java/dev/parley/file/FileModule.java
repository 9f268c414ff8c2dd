package dev.parley.file;

import dev.parley.common.db.Database;
import dev.parley.common.id.Snowflake;
import dev.parley.file.db.Blobs;
import dev.parley.file.db.Files;
import dev.parley.file.db.Uploads;
import dev.parley.file.grpc.FileGrpcService;
import dev.parley.file.media.MediaProcessor;
import dev.parley.file.refs.Attachments;
import dev.parley.file.refs.Avatars;
import dev.parley.file.refs.BlobJanitor;
import dev.parley.file.refs.FileAccess;
import dev.parley.file.refs.MessageVisibility;
import dev.parley.file.refs.ObjectSweep;
import dev.parley.file.refs.ProfileVisibility;
import dev.parley.file.store.EmbeddedS3;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.store.S3ObjectStore;
import dev.parley.file.store.S3Settings;
import dev.parley.file.upload.Completer;
import dev.parley.file.upload.FileMetrics;
import dev.parley.file.upload.UploadJanitor;
import dev.parley.file.upload.UploadManager;
import io.grpc.BindableService;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file service, wired by hand (design.md 11): hosted by the msg role in a cluster and
 * in-process in the single node. The composition root calls {@link #create} and binds {@link
 * #grpcService()}.
 */
public final class FileModule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileModule.class);

  /** Whole-object reads for verification at once; more wait their turn. */
  private static final int CONCURRENT_VERIFICATIONS = 2;

  private final FileGrpcService service;
  private final UploadManager uploads;
  private final UploadJanitor janitor;
  private final BlobJanitor blobJanitor;
  private final Completer completer;
  private final S3ObjectStore store;
  private final @Nullable EmbeddedS3 embedded;
  private final Attachments attachments;

  private FileModule(
      FileGrpcService service,
      UploadManager uploads,
      UploadJanitor janitor,
      BlobJanitor blobJanitor,
      Completer completer,
      S3ObjectStore store,
      @Nullable EmbeddedS3 embedded,
      Attachments attachments) {
    this.service = service;
    this.uploads = uploads;
    this.janitor = janitor;
    this.blobJanitor = blobJanitor;
    this.attachments = attachments;
    this.completer = completer;
    this.store = store;
    this.embedded = embedded;
  }

  /**
   * @param dataDir the node's data directory: the embedded S3 keeps its objects and keys there
   * @param media the image processor, or null: images are then stored without thumbnails and their
   *     files say UNPROCESSED
   * @param visibility the message service's visibility check, for download rights (design.md 11.6)
   * @param profiles who may see whose profile, for avatar download rights (design.md 11.6)
   */
  public static FileModule create(
      FileConfig config,
      Database database,
      Clock clock,
      Snowflake ids,
      Path dataDir,
      MeterRegistry metrics,
      @Nullable MediaProcessor media,
      MessageVisibility visibility,
      ProfileVisibility profiles) {
    database.migrate("file");
    @Nullable EmbeddedS3 embedded = null;
    S3Settings settings;
    FileConfig.S3 s3 = config.s3();
    if (s3.isEmbedded()) {
      FileConfig.Embedded e = config.embedded();
      embedded =
          EmbeddedS3.start(
              dataDir.resolve(e.dataDir()),
              dataDir.resolve("keys"),
              e.host(),
              e.port(),
              e.encrypted(),
              e.corsOrigins());
      URI publicEndpoint =
          e.publicEndpoint().isBlank() ? embedded.endpoint() : URI.create(e.publicEndpoint());
      settings =
          new S3Settings(
              embedded.endpoint(),
              publicEndpoint,
              s3.region(),
              s3.bucket(),
              embedded.accessKey(),
              embedded.secretKey(),
              true,
              false);
    } else {
      URI endpoint = URI.create(s3.endpoint());
      settings =
          new S3Settings(
              endpoint,
              s3.publicEndpoint().isBlank() ? endpoint : URI.create(s3.publicEndpoint()),
              s3.region(),
              s3.bucket(),
              s3.accessKey(),
              s3.secretKey(),
              s3.pathStyle(),
              s3.requireSse());
    }
    S3ObjectStore store = new S3ObjectStore(settings);
    try {
      store.ensureBucket();
      log.info("File storage: {}", settings);
      return assemble(
          config, database, clock, ids, store, embedded, metrics, media, visibility, profiles);
    } catch (RuntimeException ex) {
      store.close();
      if (embedded != null) embedded.close();
      throw ex;
    }
  }

  /** With a given store (tests use their own S3 server). */
  public static FileModule create(
      FileConfig config,
      Database database,
      Clock clock,
      Snowflake ids,
      S3ObjectStore store,
      MeterRegistry metrics,
      @Nullable MediaProcessor media,
      MessageVisibility visibility,
      ProfileVisibility profiles) {
    database.migrate("file");
    store.ensureBucket();
    return assemble(
        config, database, clock, ids, store, null, metrics, media, visibility, profiles);
  }

  private static FileModule assemble(
      FileConfig config,
      Database database,
      Clock clock,
      Snowflake ids,
      S3ObjectStore store,
      @Nullable EmbeddedS3 embedded,
      MeterRegistry registry,
      @Nullable MediaProcessor media,
      MessageVisibility visibility,
      ProfileVisibility profiles) {
    FileMetrics metrics = new FileMetrics(registry);
    if (media == null)
      log.info("No image processor: images are stored without thumbnails (media UNPROCESSED)");
    Completer completer =
        new Completer(
            database.jdbi(),
            new Uploads(),
            new Blobs(),
            new Files(),
            store,
            media,
            ids,
            clock,
            config.completionLease(),
            config.deleteGrace(),
            metrics);
    FileAccess access = new FileAccess(database.jdbi(), visibility, profiles);
    UploadManager uploads =
        new UploadManager(
            config,
            database.jdbi(),
            store,
            completer,
            ids,
            clock,
            metrics,
            CONCURRENT_VERIFICATIONS,
            access);
    UploadJanitor janitor = new UploadJanitor(config, database.jdbi(), store, completer, clock);
    janitor.start();
    ObjectSweep sweep =
        new ObjectSweep(
            database.jdbi(),
            store,
            clock,
            config.objectSweep().minAge(),
            config.objectSweep().batch(),
            metrics);
    BlobJanitor blobJanitor = new BlobJanitor(database.jdbi(), store, clock, sweep);
    blobJanitor.start(config.janitorInterval());
    return new FileModule(
        new FileGrpcService(uploads, new Avatars(database.jdbi(), config.deleteGrace(), clock)),
        uploads,
        janitor,
        blobJanitor,
        completer,
        store,
        embedded,
        new Attachments(database.jdbi(), access, config.deleteGrace()));
  }

  public BindableService grpcService() {
    return service;
  }

  public UploadManager uploads() {
    return uploads;
  }

  public UploadJanitor janitor() {
    return janitor;
  }

  /** Deletes content nothing references after its grace period (design.md 11.5). */
  public BlobJanitor blobJanitor() {
    return blobJanitor;
  }

  /** What the message service uses to attach files to messages (design.md 11.3). */
  public Attachments attachments() {
    return attachments;
  }

  /** The completion steps, which tests call one by one to play a process dying half-way. */
  public Completer completer() {
    return completer;
  }

  /** The origin of the presigned URLs this module hands out (for the web client's CSP). */
  public String publicOrigin() {
    return store.settings().publicOrigin();
  }

  public ObjectStore store() {
    return store;
  }

  @Override
  public void close() {
    janitor.close();
    blobJanitor.close();
    store.close();
    if (embedded != null) embedded.close();
  }
}
