package dev.parley.file.grpc;

import com.google.protobuf.ByteString;
import dev.parley.common.error.ParleyException;
import dev.parley.common.grpc.CallContext;
import dev.parley.file.db.FileRow;
import dev.parley.file.db.ThumbnailRow;
import dev.parley.file.db.UploadRow.Challenge;
import dev.parley.file.refs.Avatars;
import dev.parley.file.store.PresignedUrl;
import dev.parley.file.upload.Download;
import dev.parley.file.upload.PartsStatus;
import dev.parley.file.upload.UploadManager;
import dev.parley.file.upload.UploadPlan;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CompleteUploadResponse;
import dev.parley.proto.client.CreateUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.DedupChallenge;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.proto.client.GetDownloadUrlResponse;
import dev.parley.proto.client.GetUploadPartsRequest;
import dev.parley.proto.client.GetUploadPartsResponse;
import dev.parley.proto.client.Multipart;
import dev.parley.proto.client.PartUrl;
import dev.parley.proto.client.PresignedRequest;
import dev.parley.proto.client.SinglePut;
import dev.parley.proto.client.Thumbnail;
import dev.parley.proto.internal.FileServiceGrpc;
import dev.parley.proto.internal.ReleaseAvatarsRequest;
import dev.parley.proto.internal.ReleaseAvatarsResponse;
import dev.parley.proto.internal.TakeAvatarRequest;
import dev.parley.proto.internal.TakeAvatarResponse;
import io.grpc.stub.StreamObserver;

/** The gRPC edge of the file service: protobuf in and out, the upload manager in between. */
public final class FileGrpcService extends FileServiceGrpc.FileServiceImplBase {
  private final UploadManager uploads;
  private final Avatars avatars;

  public FileGrpcService(UploadManager uploads, Avatars avatars) {
    this.uploads = uploads;
    this.avatars = avatars;
  }

  @Override
  public void createUpload(CreateUploadRequest r, StreamObserver<CreateUploadResponse> out) {
    UploadPlan plan =
        uploads.create(
            caller(),
            r.getSize(),
            r.getMimeType(),
            r.getSha256().toByteArray(),
            r.getSha256Hex(),
            r.getName());
    CreateUploadResponse.Builder b =
        CreateUploadResponse.newBuilder()
            .setUploadId(Long.toString(plan.uploadId()))
            .setExpiresAtMs(plan.expiresAt().toEpochMilli());
    PresignedUrl single = plan.single();
    if (single != null) b.setSingle(SinglePut.newBuilder().setPut(presigned(single)));
    else
      b.setMultipart(
          Multipart.newBuilder().setPartSize(plan.partSize()).setPartCount(plan.partCount()));
    Challenge c = plan.dedup();
    if (c != null)
      b.setDedup(
          DedupChallenge.newBuilder()
              .setNonce(ByteString.copyFrom(c.nonce()))
              .setOffset(c.offset())
              .setLength(c.length()));
    reply(out, b.build());
  }

  @Override
  public void getUploadParts(GetUploadPartsRequest r, StreamObserver<GetUploadPartsResponse> out) {
    PartsStatus status = uploads.parts(caller(), r.getUploadId(), r.getPartNumbersList());
    GetUploadPartsResponse.Builder b =
        GetUploadPartsResponse.newBuilder().setExpiresAtMs(status.expiresAt().toEpochMilli());
    status
        .stored()
        .forEach(
            p ->
                b.addStored(
                    dev.parley.proto.client.StoredPart.newBuilder()
                        .setPartNumber(p.partNumber())
                        .setSize(p.size())));
    status
        .missing()
        .forEach(
            p ->
                b.addMissing(
                    PartUrl.newBuilder().setPartNumber(p.partNumber()).setPut(presigned(p.put()))));
    reply(out, b.build());
  }

  @Override
  public void completeUpload(CompleteUploadRequest r, StreamObserver<CompleteUploadResponse> out) {
    FileRow f = uploads.complete(caller(), r.getUploadId(), r.getProof().toByteArray());
    reply(out, CompleteUploadResponse.newBuilder().setFile(info(f)).build());
  }

  @Override
  public void getDownloadUrl(GetDownloadUrlRequest r, StreamObserver<GetDownloadUrlResponse> out) {
    Download d = uploads.download(caller(), r.getFileId(), r.getVariant());
    reply(
        out,
        GetDownloadUrlResponse.newBuilder()
            .setGet(presigned(d.get()))
            .setFile(info(d.file()))
            .build());
  }

  /** Internal (the user service): the user id is the request's, as for IsBlocked. */
  @Override
  public void takeAvatar(TakeAvatarRequest r, StreamObserver<TakeAvatarResponse> out) {
    long generation = avatars.take(r.getUserId(), r.getFileId());
    reply(out, TakeAvatarResponse.newBuilder().setGeneration(generation).build());
  }

  @Override
  public void releaseAvatars(ReleaseAvatarsRequest r, StreamObserver<ReleaseAvatarsResponse> out) {
    avatars.releaseBefore(r.getUserId(), r.getBelowGeneration());
    reply(out, ReleaseAvatarsResponse.getDefaultInstance());
  }

  static FileInfo info(FileRow f) {
    FileInfo.Builder b =
        FileInfo.newBuilder()
            .setFileId(Long.toString(f.fileId()))
            .setSize(f.blob().size())
            .setMimeType(f.mimeType())
            .setSha256(ByteString.copyFrom(f.blob().sha256()))
            .setName(f.name())
            .setCreatedAtMs(f.createdAt().toEpochMilli())
            .setMedia(FileInfo.MediaStatus.valueOf(f.blob().media()));
    Integer width = f.blob().width();
    Integer height = f.blob().height();
    if (width != null) b.setWidth(width);
    if (height != null) b.setHeight(height);
    b.setPreview(ByteString.copyFrom(f.blob().preview()))
        .setMediaNote(f.blob().mediaNote())
        .setAnimated(f.blob().animated());
    for (ThumbnailRow t : f.blob().thumbnails()) {
      b.addThumbnails(
          Thumbnail.newBuilder()
              .setVariant(t.kind())
              .setWidth(t.width())
              .setHeight(t.height())
              .setSize(t.size()));
    }
    return b.build();
  }

  private static PresignedRequest presigned(PresignedUrl p) {
    return PresignedRequest.newBuilder()
        .setMethod(p.method())
        .setUrl(p.url().toString())
        .putAllHeaders(p.headers())
        .setExpiresAtMs(p.expiresAt().toEpochMilli())
        .build();
  }

  private static long caller() {
    CallContext ctx = CallContext.current();
    if (!ctx.authenticated())
      throw new ParleyException(Reason.UNAUTHENTICATED, "This call needs an authenticated caller");
    return ctx.userId();
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
