package dev.parley.client;

import com.google.protobuf.ByteString;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.DedupChallenge;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetUploadPartsRequest;
import dev.parley.proto.client.GetUploadPartsResponse;
import dev.parley.proto.client.PartUrl;
import dev.parley.proto.client.PresignedRequest;
import dev.parley.proto.client.StoredPart;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One run of an upload (protocol.md section 17), on a virtual thread:
 *
 * <ol>
 *   <li>a new upload hashes the content and calls {@code create_upload}; if the server offers a
 *       dedup challenge, it completes with the proof, and on {@code DEDUP_PROOF_INVALID} goes on as
 *       a normal upload;
 *   <li>it PUTs the single URL, or each part {@code get_upload_parts} lists as missing (a resumed
 *       upload starts here: the server knows which parts it holds, so nothing is kept on the device
 *       but the upload id and the file);
 *   <li>{@code complete_upload}: retried while the server answers {@code UNAVAILABLE} (a long
 *       verification still running), and once more after sending what it reports missing.
 * </ol>
 *
 * <p>File operations lost with a dropped WebSocket are sent again once the connection is back (each
 * is idempotent but {@code create_upload}, whose lost answer leaves an unused upload that expires).
 */
final class Uploader {
  private final Operations ops;
  private final PresignedHttp http;
  private final TransferSettings settings;
  private final Upload handle;
  private final UploadSource source;
  private final TransferProgress progress;
  private final long size;
  private final List<Integer> sent = new ArrayList<>();
  private long stored;

  Uploader(
      Operations ops,
      PresignedHttp http,
      TransferSettings settings,
      Upload handle,
      UploadSource source,
      TransferProgress progress) {
    this.ops = ops;
    this.http = http;
    this.settings = settings;
    this.handle = handle;
    this.source = source;
    this.progress = progress;
    this.size = source.size();
  }

  UploadResult upload(String mimeType, String name) {
    CreateUploadResponse created =
        call(
            () ->
                ops.createUpload(
                    CreateUploadRequest.newBuilder()
                        .setSize(size)
                        .setMimeType(mimeType)
                        .setSha256(ByteString.copyFrom(source.sha256()))
                        .setName(name)
                        .build()));
    String id = created.getUploadId();
    handle.uploadId(id);
    if (created.hasDedup()) {
      byte[] proof = proof(created.getDedup());
      try {
        long start = System.nanoTime();
        FileInfo file = complete(id, proof);
        progress.update(size, size);
        return new UploadResult(file, true, List.of(), Duration.ofNanos(System.nanoTime() - start));
      } catch (ClientException e) {
        if (e.reason() != Reason.DEDUP_PROOF_INVALID) throw e;
        // The challenge is spent; the upload goes on as a normal one.
      }
    }
    PartLayout layout;
    if (created.hasSingle()) {
      layout = PartLayout.single(size);
      progress.update(0, size);
      pauseIfAsked(id);
      send(id, layout, 0, created.getSingle().getPut());
    } else {
      layout =
          PartLayout.multipart(
              size, created.getMultipart().getPartSize(), created.getMultipart().getPartCount());
      sendMissing(id, layout, parts(id));
    }
    return finish(id, layout);
  }

  /** Sends what the server lacks of upload {@code id}, then completes it. */
  UploadResult resume(String id) {
    handle.uploadId(id);
    GetUploadPartsResponse parts = parts(id);
    if (parts.getStoredCount() == 0 && parts.getMissingCount() == 0) {
      return finish(id, null); // completed already: completing again answers the same file
    }
    PartLayout layout = PartLayout.of(size, parts);
    sendMissing(id, layout, parts);
    return finish(id, layout);
  }

  private UploadResult finish(String id, @Nullable PartLayout layout) {
    boolean resent = false;
    Backoff backoff = settings.newBackoff();
    long start = System.nanoTime();
    for (int tries = 1; ; tries++) {
      try {
        FileInfo file = complete(id, new byte[0]);
        return new UploadResult(file, false, sent, Duration.ofNanos(System.nanoTime() - start));
      } catch (ClientException e) {
        if (e.reason() == Reason.UNAVAILABLE && tries < settings.attempts() * 4) {
          PresignedHttp.sleep(e.retryAfter().orElseGet(backoff::nextDelay));
        } else if (e.reason() == Reason.UPLOAD_INCOMPLETE && !resent) {
          resent = true;
          GetUploadPartsResponse parts = parts(id);
          sendMissing(id, layout != null ? layout : PartLayout.of(size, parts), parts);
          start = System.nanoTime();
        } else {
          throw e;
        }
      }
    }
  }

  private void sendMissing(String id, PartLayout layout, GetUploadPartsResponse parts) {
    stored = parts.getStoredList().stream().mapToLong(StoredPart::getSize).sum();
    progress.update(stored, size);
    for (PartUrl missing : parts.getMissingList()) {
      pauseIfAsked(id);
      send(id, layout, missing.getPartNumber(), missing.getPut());
    }
  }

  private void send(String id, PartLayout layout, int partNumber, PresignedRequest put) {
    byte[] bytes = source.read(layout.offset(partNumber), layout.length(partNumber));
    long before = stored;
    http.upload(
        put,
        () -> freshUrl(id, partNumber),
        bytes,
        inPart -> progress.update(before + inPart, size));
    stored += bytes.length;
    sent.add(partNumber);
  }

  private void pauseIfAsked(String id) {
    if (handle.pauseRequested()) throw new UploadPausedException(id);
  }

  private PresignedRequest freshUrl(String id, int partNumber) {
    GetUploadPartsResponse parts =
        call(
            () ->
                ops.getUploadParts(
                    GetUploadPartsRequest.newBuilder()
                        .setUploadId(id)
                        .addPartNumbers(partNumber)
                        .build()));
    return parts.getMissingList().stream()
        .filter(p -> p.getPartNumber() == partNumber)
        .findFirst()
        .map(PartUrl::getPut)
        .orElseThrow(() -> new TransferException("no fresh URL for part " + partNumber, 403));
  }

  private GetUploadPartsResponse parts(String id) {
    return call(
        () -> ops.getUploadParts(GetUploadPartsRequest.newBuilder().setUploadId(id).build()));
  }

  private FileInfo complete(String id, byte[] proof) {
    return call(() ->
            ops.completeUpload(
                CompleteUploadRequest.newBuilder()
                    .setUploadId(id)
                    .setProof(ByteString.copyFrom(proof))
                    .build()))
        .getFile();
  }

  /** SHA-256(nonce || content[offset, offset + length)): only a holder of the bytes knows it. */
  private byte[] proof(DedupChallenge challenge) {
    MessageDigest sha = UploadSource.sha256Digest();
    sha.update(challenge.getNonce().toByteArray());
    sha.update(source.read(challenge.getOffset(), Math.toIntExact(challenge.getLength())));
    return sha.digest();
  }

  /**
   * Waits for a file operation, sending it again when the connection dropped before the answer (the
   * connection reconnects by itself; the next try waits for it).
   */
  private <T> T call(Supplier<CompletableFuture<T>> operation) {
    Backoff backoff = settings.newBackoff();
    for (int tries = 1; ; tries++) {
      try {
        return Futures.await(operation.get());
      } catch (ConnectionException | RequestTimeoutException e) {
        if (tries >= settings.attempts()) throw e;
        PresignedHttp.sleep(backoff.nextDelay());
      }
    }
  }
}
