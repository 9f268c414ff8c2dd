package dev.parley.file.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link ObjectStore} on the AWS SDK for Java v2: AWS S3, MinIO, Ceph, s3proxy.
 *
 * <p>Two clients: the S3 client talks to {@code endpoint}; the presigner signs URLs for {@code
 * publicEndpoint}, the address clients use. The presigner has no {@code forcePathStyle}: path style
 * goes through its {@link S3Configuration}. Checksums are computed only where S3 requires them: the
 * SDK's default would add checksum headers our clients, sending bytes with plain HTTP, cannot know.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);
  private final S3Settings settings;
  private final S3Client client;
  private final S3Presigner presigner;

  public S3ObjectStore(S3Settings settings) {
    this.settings = settings;
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    Region region = Region.of(settings.region());
    this.client =
        S3Client.builder()
            .endpointOverride(settings.endpoint())
            .region(region)
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            // Named explicitly: s3proxy brings other SDK HTTP clients, and the SDK refuses to
            // guess.
            .httpClientBuilder(Apache5HttpClient.builder())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
    this.presigner =
        S3Presigner.builder()
            .endpointOverride(settings.publicEndpoint())
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build())
            .build();
  }

  /**
   * Creates the bucket unless it exists (the embedded store starts empty). Looks first, so that
   * credentials without the right to create buckets work with an existing one. Several instances
   * starting together may all find it missing: the ones that lose the race are told they already
   * own it, which is what they wanted.
   */
  public void ensureBucket() {
    call(
        "create bucket",
        () -> {
          try {
            client.headBucket(b -> b.bucket(settings.bucket()));
          } catch (S3Exception e) {
            if (e.statusCode() != 404) throw e;
            try {
              client.createBucket(b -> b.bucket(settings.bucket()));
            } catch (BucketAlreadyOwnedByYouException created) {
              log.info("Bucket {} was created by another instance meanwhile", settings.bucket());
            }
          }
          return null;
        });
  }

  @Override
  public PresignedUrl presignPut(String key, String contentType, Duration ttl) {
    PutObjectRequest.Builder put =
        PutObjectRequest.builder().bucket(settings.bucket()).key(key).contentType(contentType);
    if (settings.requireSse()) put.serverSideEncryption(ServerSideEncryption.AES256);
    PutObjectRequest request = put.build();
    return presigned(
        presigner.presignPutObject(p -> p.signatureDuration(ttl).putObjectRequest(request)));
  }

  @Override
  public PresignedUrl presignPart(String key, String multipartId, int partNumber, Duration ttl) {
    UploadPartRequest request =
        UploadPartRequest.builder()
            .bucket(settings.bucket())
            .key(key)
            .uploadId(multipartId)
            .partNumber(partNumber)
            .build();
    return presigned(
        presigner.presignUploadPart(p -> p.signatureDuration(ttl).uploadPartRequest(request)));
  }

  @Override
  public PresignedUrl presignGet(
      String key, String contentType, String contentDisposition, Duration ttl) {
    GetObjectRequest request =
        GetObjectRequest.builder()
            .bucket(settings.bucket())
            .key(key)
            .responseContentType(contentType)
            .responseContentDisposition(contentDisposition)
            .build();
    return presigned(
        presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(request)));
  }

  private static PresignedUrl presigned(PresignedRequest p) {
    Map<String, String> headers = new HashMap<>();
    // Host is set by every HTTP client from the URL; the others must be sent as signed.
    p.signedHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("host")) headers.put(name, String.join(",", values));
            });
    try {
      return new PresignedUrl(
          p.httpRequest().method().name(), p.url().toURI(), headers, p.expiration());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("The SDK presigned an invalid URL", e);
    }
  }

  @Override
  public String createMultipart(String key, String contentType) {
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder()
            .bucket(settings.bucket())
            .key(key)
            .contentType(contentType);
    if (settings.requireSse()) create.serverSideEncryption(ServerSideEncryption.AES256);
    return call("create multipart upload", () -> client.createMultipartUpload(create.build()))
        .uploadId();
  }

  @Override
  public Optional<List<StoredPart>> listParts(String key, String multipartId) {
    return call(
        "list parts",
        () -> {
          try {
            List<StoredPart> parts = new ArrayList<>();
            for (Part p :
                client
                    .listPartsPaginator(
                        ListPartsRequest.builder()
                            .bucket(settings.bucket())
                            .key(key)
                            .uploadId(multipartId)
                            .build())
                    .parts()) {
              parts.add(new StoredPart(p.partNumber(), p.eTag(), p.size()));
            }
            return Optional.of(parts);
          } catch (NoSuchUploadException e) {
            return Optional.empty();
          } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw e;
          }
        });
  }

  @Override
  public void completeMultipart(String key, String multipartId, List<StoredPart> parts) {
    List<CompletedPart> completed =
        parts.stream()
            .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build())
            .toList();
    call(
        "complete multipart upload",
        () ->
            client.completeMultipartUpload(
                CompleteMultipartUploadRequest.builder()
                    .bucket(settings.bucket())
                    .key(key)
                    .uploadId(multipartId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())
                    .build()));
  }

  @Override
  public void abortMultipart(String key, String multipartId) {
    call(
        "abort multipart upload",
        () -> {
          try {
            client.abortMultipartUpload(
                AbortMultipartUploadRequest.builder()
                    .bucket(settings.bucket())
                    .key(key)
                    .uploadId(multipartId)
                    .build());
          } catch (NoSuchUploadException e) {
            // already gone: what we wanted
          } catch (S3Exception e) {
            if (e.statusCode() != 404) throw e;
          }
          return null;
        });
  }

  @Override
  public List<PendingMultipart> listMultipartUploads(String prefix) {
    return call(
        "list multipart uploads",
        () -> {
          List<PendingMultipart> out = new ArrayList<>();
          for (MultipartUpload u :
              client
                  .listMultipartUploadsPaginator(
                      ListMultipartUploadsRequest.builder()
                          .bucket(settings.bucket())
                          .prefix(prefix)
                          .build())
                  .uploads()) {
            out.add(
                new PendingMultipart(
                    u.key(),
                    u.uploadId(),
                    Objects.requireNonNullElse(u.initiated(), Instant.EPOCH)));
          }
          return out;
        });
  }

  @Override
  public Optional<ObjectHead> head(String key) {
    return call(
        "head",
        () -> {
          try {
            HeadObjectResponse h =
                client.headObject(
                    HeadObjectRequest.builder().bucket(settings.bucket()).key(key).build());
            return Optional.of(
                new ObjectHead(
                    Objects.requireNonNullElse(h.contentLength(), 0L),
                    Objects.requireNonNullElse(h.contentType(), "")));
          } catch (NoSuchKeyException e) {
            return Optional.empty();
          } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw e;
          }
        });
  }

  @Override
  public InputStream get(String key) {
    return call(
        "get",
        () ->
            client.getObject(
                GetObjectRequest.builder().bucket(settings.bucket()).key(key).build()));
  }

  @Override
  public InputStream getRange(String key, long offset, long length) {
    if (length <= 0) return InputStream.nullInputStream();
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    return call(
        "ranged get",
        () ->
            client.getObject(
                GetObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(key)
                    .range(range)
                    .build()));
  }

  @Override
  public void put(String key, String contentType, byte[] bytes) {
    call("put", () -> client.putObject(putRequest(key, contentType), RequestBody.fromBytes(bytes)));
  }

  @Override
  public void put(String key, String contentType, Path file) {
    call("put", () -> client.putObject(putRequest(key, contentType), RequestBody.fromFile(file)));
  }

  private PutObjectRequest putRequest(String key, String contentType) {
    PutObjectRequest.Builder put =
        PutObjectRequest.builder().bucket(settings.bucket()).key(key).contentType(contentType);
    if (settings.requireSse()) put.serverSideEncryption(ServerSideEncryption.AES256);
    return put.build();
  }

  @Override
  public List<String> list(String prefix) {
    return call(
        "list",
        () ->
            client
                .listObjectsV2Paginator(
                    ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(prefix).build())
                .contents()
                .stream()
                .map(o -> o.key())
                .toList());
  }

  @Override
  public ObjectPage listPage(String prefix, String startAfter, int max) {
    return call(
        "list page",
        () -> {
          ListObjectsV2Request.Builder request =
              ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(prefix).maxKeys(max);
          if (!startAfter.isEmpty()) request.startAfter(startAfter);
          ListObjectsV2Response page = client.listObjectsV2(request.build());
          return new ObjectPage(
              page.contents().stream()
                  .map(
                      o ->
                          new ObjectPage.Listed(
                              o.key(), Objects.requireNonNullElse(o.lastModified(), Instant.EPOCH)))
                  .toList(),
              Boolean.TRUE.equals(page.isTruncated()));
        });
  }

  @Override
  public void delete(String key) {
    call(
        "delete",
        () ->
            client.deleteObject(
                DeleteObjectRequest.builder().bucket(settings.bucket()).key(key).build()));
  }

  /** Every SDK failure leaves as an ObjectStoreException naming the operation. */
  private <T> T call(String what, Supplier<T> work) {
    try {
      return work.get();
    } catch (SdkException e) {
      throw new ObjectStoreException("S3 " + what + " failed: " + e.getMessage(), e);
    }
  }

  public S3Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }
}
