package dev.parley.client;

import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.proto.client.GetDownloadUrlResponse;
import dev.parley.proto.client.Thumbnail;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Uploads and downloads of files (protocol.md section 17): the bytes go straight between this
 * device and the file store with presigned HTTP requests; the file operations go over {@code ops}
 * (a {@link Connection}).
 *
 * <pre>{@code
 * FileTransfers files = client.files(connection);
 * Upload upload = files.upload(UploadSource.of(path), "image/jpeg", "beach.jpg", progress);
 * FileInfo file = Futures.await(upload.result()).file();
 * messenger.sendImage(Recipient.user(bob), ImageContent.newBuilder().setFileId(file.getFileId()).build());
 * }</pre>
 *
 * <p>Each transfer runs on its own virtual thread; parts are sent one after another.
 */
public final class FileTransfers {
  private final Operations ops;
  private final PresignedHttp http;
  private final TransferSettings settings;
  private final Executor executor;

  /**
   * @param http sends the presigned requests; {@link ParleyClient#files} passes the client's own
   */
  public FileTransfers(
      Operations ops, HttpClient http, Executor executor, TransferSettings settings) {
    this.ops = Objects.requireNonNull(ops, "ops");
    this.http = new PresignedHttp(Objects.requireNonNull(http, "http"), settings);
    this.executor = Objects.requireNonNull(executor, "executor");
    this.settings = settings;
  }

  /**
   * Uploads {@code source} as a new file. {@code mimeType} must be what the bytes are (the server
   * checks images, PDFs and archives by content); {@code name} is shown to recipients.
   */
  public Upload upload(
      UploadSource source, String mimeType, String name, TransferProgress progress) {
    return start(source, progress, uploader -> uploader.upload(mimeType, name));
  }

  /**
   * Continues the upload {@code uploadId} (paused, or cut off by a dropped connection or an app
   * restart) with the same content: sends only the parts the server does not hold, then completes.
   */
  public Upload resume(String uploadId, UploadSource source, TransferProgress progress) {
    return start(source, progress, uploader -> uploader.resume(uploadId));
  }

  private Upload start(
      UploadSource source, TransferProgress progress, Function<Uploader, UploadResult> run) {
    Upload handle = new Upload();
    CompletableFuture<UploadResult> result = handle.result();
    executor.execute(
        () -> {
          try {
            result.complete(run.apply(new Uploader(ops, http, settings, handle, source, progress)));
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
          }
        });
    return handle;
  }

  /**
   * Downloads file {@code fileId} into {@code target} (replaced if it exists, only once every byte
   * arrived): the original for an empty {@code variant}, else that thumbnail ({@code "320"}, {@code
   * "1280"}). Completes with the file's description; fails with {@link ClientException} ({@code
   * NOT_FOUND}: no such file, or not visible to this user) or {@link TransferException}.
   */
  public CompletableFuture<FileInfo> download(
      String fileId, String variant, Path target, TransferProgress progress) {
    return download(fileId, variant, file -> target, progress);
  }

  /**
   * {@link #download(String, String, Path, TransferProgress)} into a path chosen once the file's
   * description (its name, type, size) is known.
   */
  public CompletableFuture<FileInfo> download(
      String fileId, String variant, Function<FileInfo, Path> target, TransferProgress progress) {
    CompletableFuture<FileInfo> result = new CompletableFuture<>();
    Supplier<GetDownloadUrlResponse> url =
        () ->
            Futures.await(
                ops.getDownloadUrl(
                    GetDownloadUrlRequest.newBuilder()
                        .setFileId(fileId)
                        .setVariant(variant)
                        .build()));
    executor.execute(
        () -> {
          try {
            GetDownloadUrlResponse answer = url.get();
            long size = expectedSize(answer.getFile(), variant);
            http.download(
                answer.getGet(),
                () -> url.get().getGet(),
                target.apply(answer.getFile()),
                size,
                received -> progress.update(received, size));
            result.complete(answer.getFile());
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  /**
   * The size of the thumbnail {@code variant}; -1 (the HTTP Content-Length decides) for the
   * original, which the server may serve as its metadata-free copy, smaller than {@code
   * FileInfo.size}.
   */
  private static long expectedSize(FileInfo file, String variant) {
    if (variant.isEmpty()) return -1;
    return file.getThumbnailsList().stream()
        .filter(t -> t.getVariant().equals(variant))
        .mapToLong(Thumbnail::getSize)
        .findFirst()
        .orElse(-1);
  }
}
