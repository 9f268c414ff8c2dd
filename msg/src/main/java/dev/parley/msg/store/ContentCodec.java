package dev.parley.msg.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.core.content.ReactionCount;
import dev.parley.msg.core.content.ServiceAction;
import dev.parley.proto.store.StoredContent;
import dev.parley.proto.store.StoredEdit;
import dev.parley.proto.store.StoredFile;
import dev.parley.proto.store.StoredForward;
import dev.parley.proto.store.StoredImage;
import dev.parley.proto.store.StoredMention;
import dev.parley.proto.store.StoredPin;
import dev.parley.proto.store.StoredQuote;
import dev.parley.proto.store.StoredReaction;
import dev.parley.proto.store.StoredRecall;
import dev.parley.proto.store.StoredService;
import dev.parley.proto.store.StoredText;
import dev.parley.proto.store.StoredThumbnail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry content to the bytes that are encrypted into msg.entries.content, and back, in the storage
 * schema ({@code parley/store/v1/stored.proto}). Rows written before that schema existed hold
 * client Messages with the same field numbers, so they decode here unchanged.
 */
public final class ContentCodec {
  private ContentCodec() {}

  /** Content and extras as stored together. */
  public record Decoded(Content content, Extras extras) {}

  public static byte[] encode(Content content) {
    return encode(content, Extras.NONE);
  }

  public static byte[] encode(Content content, Extras extras) {
    StoredContent.Builder b = StoredContent.newBuilder();
    Extras.Quote q = extras.quote();
    if (q != null)
      b.setQuote(
          StoredQuote.newBuilder()
              .setSeq(q.seq())
              .setSenderId(q.senderId())
              .setSnippet(q.snippet())
              .setDeleted(q.deleted()));
    for (Extras.Mention m : extras.mentions())
      b.addMentions(
          StoredMention.newBuilder()
              .setUserId(m.userId())
              .setOffset(m.offset())
              .setLength(m.length()));
    Extras.Forward origin = extras.forward();
    if (origin != null)
      b.setForward(
          StoredForward.newBuilder()
              .setSenderId(origin.senderId())
              .setGroupId(origin.groupId())
              .setSentAtMs(origin.sentAt().toEpochMilli()));
    switch (content) {
      case Content.Text t -> b.setText(StoredText.newBuilder().setText(t.text()));
      case Content.Image i -> {
        StoredImage.Builder image =
            StoredImage.newBuilder()
                .setFileId(i.fileId())
                .setWidth(i.width())
                .setHeight(i.height())
                .setSize(i.size())
                .setMimeType(i.mimeType())
                .setCaption(i.caption())
                .setPreview(ByteString.copyFrom(i.preview()))
                .setMediaNote(i.mediaNote())
                .setAnimated(i.animated());
        for (Content.Thumbnail t : i.thumbnails())
          image.addThumbnails(
              StoredThumbnail.newBuilder()
                  .setVariant(t.variant())
                  .setWidth(t.width())
                  .setHeight(t.height())
                  .setSize(t.size()));
        b.setImage(image);
      }
      case Content.File f ->
          b.setFile(
              StoredFile.newBuilder()
                  .setFileId(f.fileId())
                  .setName(f.name())
                  .setSize(f.size())
                  .setMimeType(f.mimeType())
                  .setCaption(f.caption()));
      case Content.Service s ->
          b.setService(
              StoredService.newBuilder()
                  .setAction(s.action().code)
                  .setActorId(s.actorId())
                  .addAllUserIds(s.userIds())
                  .setTitle(s.title())
                  .setRole(s.role()));
      case Content.Recall r -> b.setRecall(StoredRecall.newBuilder().setTargetSeq(r.targetSeq()));
      case Content.Edit e ->
          b.setEdit(StoredEdit.newBuilder().setTargetSeq(e.targetSeq()).setText(e.text()));
      case Content.Reaction r -> {
        StoredReaction.Builder reaction =
            StoredReaction.newBuilder().setTargetSeq(r.targetSeq()).addAllEmoji(r.emoji());
        for (ReactionCount count : r.counts())
          reaction.addCountEmoji(count.emoji()).addCounts(count.count());
        b.setReaction(reaction);
      }
      case Content.Pin p ->
          b.setPin(StoredPin.newBuilder().setTargetSeq(p.targetSeq()).setPinned(p.pinned()));
    }
    return b.build().toByteArray();
  }

  /**
   * @throws IllegalStateException when the bytes are not stored content (a bug or corruption)
   */
  public static Content decode(byte[] bytes) {
    return decodeAll(bytes).content();
  }

  /**
   * @throws IllegalStateException when the bytes are not stored content (a bug or corruption)
   */
  public static Decoded decodeAll(byte[] bytes) {
    StoredContent c;
    try {
      c = StoredContent.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable stored content", e);
    }
    Extras.Quote quote = null;
    if (c.hasQuote()) {
      StoredQuote q = c.getQuote();
      quote = new Extras.Quote(q.getSeq(), q.getSenderId(), q.getSnippet(), q.getDeleted());
    }
    Extras.Forward forward = null;
    if (c.hasForward()) {
      StoredForward f = c.getForward();
      forward =
          new Extras.Forward(
              f.getSenderId(), f.getGroupId(), Instant.ofEpochMilli(f.getSentAtMs()));
    }
    Extras extras =
        Extras.of(
            quote,
            c.getMentionsList().stream()
                .map(m -> new Extras.Mention(m.getUserId(), m.getOffset(), m.getLength()))
                .toList(),
            forward);
    return new Decoded(content(c), extras);
  }

  private static Content content(StoredContent c) {
    return switch (c.getKindCase()) {
      case TEXT -> new Content.Text(c.getText().getText());
      case IMAGE -> {
        StoredImage i = c.getImage();
        yield new Content.Image(
            i.getFileId(),
            i.getWidth(),
            i.getHeight(),
            i.getSize(),
            i.getMimeType(),
            i.getCaption(),
            i.getPreview().toByteArray(),
            i.getThumbnailsList().stream()
                .map(
                    t ->
                        new Content.Thumbnail(
                            t.getVariant(), t.getWidth(), t.getHeight(), t.getSize()))
                .toList(),
            i.getMediaNote(),
            i.getAnimated());
      }
      case FILE -> {
        StoredFile f = c.getFile();
        yield new Content.File(
            f.getFileId(), f.getName(), f.getSize(), f.getMimeType(), f.getCaption());
      }
      case SERVICE -> {
        StoredService s = c.getService();
        yield new Content.Service(
            ServiceAction.of(s.getAction()),
            s.getActorId(),
            s.getUserIdsList(),
            s.getTitle(),
            s.getRole());
      }
      case RECALL -> new Content.Recall(c.getRecall().getTargetSeq());
      case EDIT -> new Content.Edit(c.getEdit().getTargetSeq(), c.getEdit().getText());
      case REACTION -> {
        StoredReaction r = c.getReaction();
        List<ReactionCount> counts = new ArrayList<>(r.getCountsCount());
        for (int i = 0; i < r.getCountsCount(); i++)
          counts.add(new ReactionCount(r.getCountEmoji(i), r.getCounts(i)));
        yield new Content.Reaction(r.getTargetSeq(), r.getEmojiList(), counts);
      }
      case PIN -> new Content.Pin(c.getPin().getTargetSeq(), c.getPin().getPinned());
      case KIND_NOT_SET -> throw new IllegalStateException("stored content without a kind");
    };
  }
}
