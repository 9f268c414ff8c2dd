package dev.parley.bench.scenario;

import dev.parley.bench.BenchRun;
import dev.parley.bench.Durations;
import dev.parley.bench.ScenarioCommand;
import dev.parley.bench.account.Account;
import dev.parley.bench.report.LatencySummary;
import dev.parley.bench.report.RunReport;
import dev.parley.client.ClientException;
import dev.parley.client.Connection;
import dev.parley.client.Credentials;
import dev.parley.client.FileTransfers;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.client.TransferProgress;
import dev.parley.client.UploadResult;
import dev.parley.client.UploadSource;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SendMessageRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * S6, media: C clients upload distinct ~1 MB JPEG photos through the SDK (hash, create_upload,
 * presigned PUT, complete_upload) and send each to one group as an image message; one more member,
 * the observer, receives them live. Reported: upload throughput (MB/s and uploads/s over the whole
 * phase), upload time and complete_upload time (the server's verification and thumbnails) per
 * image, and, per message, the time from send_message until the observer has it with its preview,
 * and until it has downloaded the 320 px thumbnail. What the observer did not get (no preview, no
 * thumbnail, a refused download) is counted by reason, not hidden.
 */
@Command(
    name = "s6",
    mixinStandardHelpOptions = true,
    description =
        "Media: clients upload ~1 MB JPEGs and send them to a group; upload throughput, completion "
            + "time, time until a member sees the preview and has the 320 px thumbnail.")
public final class S6Media extends ScenarioCommand {
  @Option(
      names = "--clients",
      paramLabel = "C",
      defaultValue = "8",
      description =
          "Uploading clients (each its own account and connection). Default: ${DEFAULT-VALUE}.")
  int clients;

  @Option(
      names = "--images",
      paramLabel = "N",
      defaultValue = "200",
      description = "Images in all, shared out among the clients. Default: ${DEFAULT-VALUE}.")
  int images;

  @Option(
      names = "--image-bytes",
      paramLabel = "BYTES",
      defaultValue = "1000000",
      description = "About how large each JPEG is. Default: ${DEFAULT-VALUE}.")
  int imageBytes;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = Durations.class,
      description =
          "After the uploads, wait at most this long for the observer's messages and thumbnails. "
              + "Default: ${DEFAULT-VALUE}.")
  Duration drain;

  private final Histogram upload = histogram();
  private final Histogram completion = histogram();
  private final Histogram toPreview = histogram();
  private final Histogram toThumbnail = histogram();
  private final Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> problems = new ConcurrentHashMap<>();
  private final LongAdder received = new LongAdder();
  private final LongAdder thumbnailsSettled = new LongAdder();

  @Override
  protected int accountsNeeded(int available) {
    if (clients < 1 || images < 1 || imageBytes < 1000) {
      throw new IllegalArgumentException(
          "need --clients >= 1, --images >= 1, --image-bytes >= 1000");
    }
    return clients + 1;
  }

  @Override
  protected RunReport run(BenchRun run) throws Exception {
    List<Account> accounts = run.accounts(clients + 1);
    NoiseJpegs jpegs = NoiseJpegs.ofAbout(imageBytes);
    run.out().printf("s6: making %d JPEGs of %dx%d...%n", images, jpegs.width(), jpegs.height());
    long seedBase = System.nanoTime();
    List<byte[]> photos =
        IntStream.range(0, images).parallel().mapToObj(i -> jpegs.make(seedBase + i)).toList();
    long totalBytes = photos.stream().mapToLong(p -> p.length).sum();
    Path downloads = Files.createTempDirectory("parley-bench-s6");

    try (ParleyClient client =
        ParleyClient.builder(run.options().server)
            .encoding(run.options().encoding)
            .requestTimeout(Duration.ofSeconds(60))
            .build()) {
      List<Connection> uploaders = new ArrayList<>();
      for (Account a : accounts.subList(0, clients)) uploaders.add(connect(client, a));
      Connection observer = connect(client, accounts.get(clients));
      FileTransfers observerFiles = client.files(observer);
      long group =
          Futures.await(
                  observer.createGroup(
                      "bench media " + run.runId(),
                      accounts.subList(0, clients).stream().map(Account::userId).toList()))
              .getConversation()
              .getConversationId();
      String tag = "s6 " + run.runId() + " ";
      observer.onEvent(
          event -> {
            if (!event.hasUpdate() || !event.getUpdate().hasMessage()) return;
            Message m = event.getUpdate().getMessage();
            if (m.hasImage() && m.getImage().getCaption().startsWith(tag)) {
              observed(m.getImage(), observerFiles, downloads);
            }
          });
      run.out()
          .printf(
              "s6: %d clients upload %d images (%.1f MB) to group %d%n",
              clients, images, totalBytes / 1e6, group);

      BenchRun.Phase phase = run.beginPhase(null, "media", 0);
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Connection connection = uploaders.get(c);
        FileTransfers files = client.files(connection);
        int first = c;
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int k = first; k < images; k += clients) {
                        uploadAndSend(connection, files, photos.get(k), tag + k, group, jpegs);
                      }
                    }));
      }
      for (Thread t : threads) t.join();
      double seconds = (System.nanoTime() - start) / 1e9;
      phase.end("");

      long deadline = System.nanoTime() + drain.toNanos();
      int sent = sentAtNanos.size();
      while ((received.sum() < sent || thumbnailsSettled.sum() < received.sum())
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      long missing = sent - received.sum();
      if (missing > 0) problem("not received by the observer within the drain", missing);

      Map<String, Object> results = new LinkedHashMap<>();
      results.put("clients", clients);
      results.put("images", images);
      results.put("imageWidth", jpegs.width());
      results.put("imageHeight", jpegs.height());
      results.put("megabytes", Math.round(totalBytes / 1e4) / 100.0);
      results.put("seconds", Math.round(seconds * 100) / 100.0);
      results.put("uploadMBPerSecond", Math.round(totalBytes / 1e4 / seconds) / 100.0);
      results.put("uploadsPerSecond", Math.round(sent / seconds * 100) / 100.0);
      results.put("uploadMs", LatencySummary.of(upload));
      results.put("completeUploadMs", LatencySummary.of(completion));
      results.put("sendToPreviewMs", LatencySummary.of(toPreview));
      results.put("sendToThumbnail320Ms", LatencySummary.of(toThumbnail));
      results.put("receivedByObserver", received.sum());
      results.put(
          "previewPresentPercent",
          sent == 0 ? 0 : Math.round(toPreview.getTotalCount() * 1000.0 / sent) / 10.0);
      results.put(
          "thumbnail320Percent",
          sent == 0 ? 0 : Math.round(toThumbnail.getTotalCount() * 1000.0 / sent) / 10.0);
      Map<String, Long> counted = new LinkedHashMap<>();
      problems.forEach((k, v) -> counted.put(k, v.sum()));
      results.put("problems", counted);
      counted.forEach((k, v) -> run.note(v + " × " + k));
      run.out()
          .printf(
              "s6: %d uploads in %.1f s: %.2f MB/s, %.2f uploads/s; upload p50/p99 %s ms; complete_upload %s ms;"
                  + " send→preview %s ms (%s%% with preview); send→320 thumbnail %s ms; problems %s%n",
              sent,
              seconds,
              totalBytes / 1e6 / seconds,
              sent / seconds,
              LatencySummary.of(upload).brief(),
              LatencySummary.of(completion).brief(),
              LatencySummary.of(toPreview).brief(),
              results.get("previewPresentPercent"),
              LatencySummary.of(toThumbnail).brief(),
              counted);
      return run.finish(
          "media, " + clients + " clients, " + images + " JPEGs of ~" + imageBytes + " B",
          results,
          null);
    } finally {
      try (var files = Files.list(downloads)) {
        for (Path p : files.toList()) Files.deleteIfExists(p);
      }
      Files.deleteIfExists(downloads);
    }
  }

  static Connection connect(ParleyClient client, Account a) {
    Account.Stored s = a.stored();
    Credentials credentials =
        new Credentials(
            s.userId(),
            s.sessionId(),
            String.valueOf(s.accessToken()),
            Instant.ofEpochMilli(s.accessTokenExpiresAtMs()),
            String.valueOf(s.refreshToken()),
            Instant.ofEpochMilli(s.refreshTokenExpiresAtMs()),
            s.deviceId());
    Connection connection = client.connect(TokenStore.inMemory(credentials));
    connection.awaitState(Connection.State.READY, Duration.ofSeconds(30));
    return connection;
  }

  private void uploadAndSend(
      Connection connection,
      FileTransfers files,
      byte[] photo,
      String key,
      long group,
      NoiseJpegs jpegs) {
    try {
      long t0 = System.nanoTime();
      UploadResult result =
          Futures.await(
              files
                  .upload(
                      UploadSource.of(photo),
                      "image/jpeg",
                      key.replace(' ', '-') + ".jpg",
                      TransferProgress.NONE)
                  .result());
      upload.recordValue((System.nanoTime() - t0) / 1000);
      completion.recordValue(result.completion().toNanos() / 1000);
      if (result.deduplicated()) problem("deduplicated (content not distinct)", 1);
      sentAtNanos.put(key, System.nanoTime());
      // The server fills in dimensions, preview and thumbnails; a server without that takes what
      // is sent, so the real dimensions go along.
      Futures.await(
          connection.sendMessage(
              SendMessageRequest.newBuilder()
                  .setConversationId(group)
                  .setClientMsgId(key.replace(' ', '-'))
                  .setImage(
                      ImageContent.newBuilder()
                          .setFileId(result.file().getFileId())
                          .setCaption(key)
                          .setMimeType("image/jpeg")
                          .setSize(photo.length)
                          .setWidth(jpegs.width())
                          .setHeight(jpegs.height()))
                  .build()));
    } catch (RuntimeException e) {
      sentAtNanos.remove(key);
      problem("upload or send failed: " + reason(e), 1);
    }
  }

  /** The observer got an image message: time to preview, then fetch the 320 px thumbnail. */
  private void observed(ImageContent image, FileTransfers files, Path downloads) {
    Long sentAt = sentAtNanos.get(image.getCaption());
    if (sentAt == null) return;
    received.increment();
    long now = System.nanoTime();
    if (image.getPreview().isEmpty()) {
      problem("received without a preview", 1);
    } else {
      toPreview.recordValue((now - sentAt) / 1000);
    }
    Path target = downloads.resolve(image.getFileId() + "-320.jpg");
    // Settled (and counted) in the callback; the drain waits for thumbnailsSettled.
    var unused =
        files
            .download(image.getFileId(), "320", target, TransferProgress.NONE)
            .whenComplete(
                (file, failure) -> {
                  if (failure == null) {
                    toThumbnail.recordValue((System.nanoTime() - sentAt) / 1000);
                  } else {
                    problem("320 thumbnail not downloaded: " + reason(failure), 1);
                  }
                  try {
                    Files.deleteIfExists(target);
                  } catch (java.io.IOException e) {
                    // a temporary file left in the temporary directory: harmless
                  }
                  thumbnailsSettled.increment();
                });
  }

  private void problem(String what, long n) {
    problems.computeIfAbsent(what, k -> new LongAdder()).add(n);
  }

  static String reason(Throwable t) {
    Throwable cause = Futures.unwrap(t);
    return cause instanceof ClientException c
        ? c.reason().name()
        : cause.getClass().getSimpleName();
  }

  private static Histogram histogram() {
    return new ConcurrentHistogram(3_600_000_000L, 3);
  }
}
