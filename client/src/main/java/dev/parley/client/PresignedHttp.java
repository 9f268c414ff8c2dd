package dev.parley.client;

import dev.parley.proto.client.PresignedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Sends presigned requests to the file store exactly as the server signed them (method, URL, every
 * listed header: a different {@code Content-Type} breaks the signature), retrying what a retry can
 * fix.
 *
 * <p>Transient: no answer at all (connection refused or reset, timeout) and the statuses 408, 429,
 * 500, 502, 503, 504; these are retried after a jittered back-off. A 403 usually means the URL
 * expired (an upload paused for longer than its life): the caller's {@code fresh} supplier gets a
 * new one, once. Anything else is final: {@link TransferException}.
 *
 * <p>Blocking: callers run it on a virtual thread.
 */
final class PresignedHttp {
  private static final Set<Integer> TRANSIENT = Set.of(408, 429, 500, 502, 503, 504);

  private final HttpClient http;
  private final TransferSettings settings;

  PresignedHttp(HttpClient http, TransferSettings settings) {
    this.http = http;
    this.settings = settings;
  }

  /**
   * Sends {@code body} with {@code request}; {@code sent} hears the bytes handed to the network in
   * the current try (it restarts from 0 when a try is repeated).
   */
  void upload(
      PresignedRequest request, Supplier<PresignedRequest> fresh, byte[] body, LongConsumer sent) {
    retrying(
        request,
        fresh,
        presigned -> {
          HttpResponse<String> response =
              http.send(
                  build(presigned).method(presigned.getMethod(), counting(body, sent)).build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
          return new Outcome(response.statusCode(), response.body());
        });
  }

  /**
   * GETs {@code request} into {@code target} (through a temporary file next to it, moved into place
   * only when complete), checking that exactly {@code expectedSize} bytes arrived (when it is
   * negative, unknown: as many as the response's Content-Length said, when it says).
   */
  void download(
      PresignedRequest request,
      Supplier<PresignedRequest> fresh,
      Path target,
      long expectedSize,
      LongConsumer received) {
    Path dir = target.toAbsolutePath().getParent();
    retrying(
        request,
        fresh,
        presigned -> {
          HttpResponse<InputStream> response =
              http.send(
                  build(presigned)
                      .method(presigned.getMethod(), HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
          try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
              return new Outcome(
                  response.statusCode(), new String(in.readNBytes(512), StandardCharsets.UTF_8));
            }
            Path part = Files.createTempFile(dir, ".parley-download-", ".part");
            try {
              long total = copy(in, part, received);
              long expected =
                  expectedSize >= 0
                      ? expectedSize
                      : response.headers().firstValueAsLong("content-length").orElse(-1);
              if (expected >= 0 && total != expected) {
                throw new TransferException(
                    "expected " + expected + " bytes, received " + total, 0);
              }
              Files.move(
                  part,
                  target,
                  StandardCopyOption.REPLACE_EXISTING,
                  StandardCopyOption.ATOMIC_MOVE);
            } finally {
              Files.deleteIfExists(part);
            }
            return new Outcome(response.statusCode(), "");
          }
        });
  }

  private static long copy(InputStream in, Path file, LongConsumer received) throws IOException {
    long total = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        total += n;
        received.accept(total);
      }
    }
    return total;
  }

  private HttpRequest.Builder build(PresignedRequest presigned) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(presigned.getUrl())).timeout(settings.requestTimeout());
    presigned.getHeadersMap().forEach(builder::header);
    return builder;
  }

  private record Outcome(int status, String body) {}

  private interface Attempt {
    Outcome run(PresignedRequest request) throws IOException, InterruptedException;
  }

  private void retrying(PresignedRequest first, Supplier<PresignedRequest> fresh, Attempt attempt) {
    Backoff backoff = settings.newBackoff();
    PresignedRequest request = first;
    boolean refreshed = false;
    String last = "";
    int status = 0;
    for (int tries = 0; tries < settings.attempts(); tries++) {
      if (tries > 0) sleep(backoff.nextDelay());
      try {
        Outcome outcome = attempt.run(request);
        status = outcome.status();
        if (status / 100 == 2) return;
        last = "HTTP " + status + ": " + outcome.body();
        if (status == 403 && !refreshed) {
          refreshed = true;
          request = fresh.get();
          backoff.reset();
          tries--; // a fresh URL is a new start, not a failure
          continue;
        }
        if (!TRANSIENT.contains(status)) break;
      } catch (IOException e) {
        last = e.toString();
        status = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransferException("interrupted", e);
      }
    }
    throw new TransferException(
        request.getMethod() + " to the file store failed: " + abbreviate(last), status);
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }

  static void sleep(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransferException("interrupted", e);
    }
  }

  /** The body with a count of the bytes handed to the HTTP client, for progress. */
  private static HttpRequest.BodyPublisher counting(byte[] body, LongConsumer sent) {
    HttpRequest.BodyPublisher bytes = HttpRequest.BodyPublishers.ofByteArray(body);
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return bytes.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        bytes.subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              private long count;

              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                count = 0;
                subscriber.onSubscribe(subscription);
              }

              @Override
              public void onNext(ByteBuffer item) {
                count += item.remaining();
                subscriber.onNext(item);
                sent.accept(count);
              }

              @Override
              public void onError(Throwable throwable) {
                subscriber.onError(throwable);
              }

              @Override
              public void onComplete() {
                subscriber.onComplete();
              }
            });
      }
    };
  }
}
