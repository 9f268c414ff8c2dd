package dev.parley.msg.recent;

import dev.parley.msg.core.content.Extras;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.store.ContentCodec;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One cached entry as the bytes of one Redis list element. Everything but the seqs is encrypted
 * with the content cipher, so the cache holds no more plaintext than the table does:
 *
 * <pre>
 * offset  size  field
 * 0       1     format version (1)
 * 1       8     seq, big-endian (the Lua scripts read it)
 * 9       8     below: seq of the next older entry, 0 none, -1 unknown (see RecentSnapshot)
 * 17      2     content key id
 * 19      ...   AES-256-GCM of the entry's other fields (ContentCipher's stored form)
 * </pre>
 *
 * <p>The associated data is {@code "parley:recent:" || version || conversation id || seq}: an
 * element decrypts only as the entry it was written for (not under another conversation's key or
 * another seq), and never as a table row, whose associated data is 16 bytes. {@code below} is not
 * authenticated: someone who can write to Redis can only make a page's {@code more} flag wrong, as
 * they could delete the key anyway.
 *
 * <p>Encrypted fields: message id, sender, kind, ref seq, created at, recalled at, client_msg_id,
 * content in the storage schema (ContentCodec) (DataOutput encoding, optional fields behind a flag
 * byte).
 */
final class RecentCodec {
  static final int VERSION = 1;
  private static final int HEADER = 19;
  private static final byte[] DOMAIN = "parley:recent:".getBytes(StandardCharsets.US_ASCII);
  private static final int RECALLED = 1;
  private static final int CLIENT_MSG_ID = 2;
  private static final int CONTENT = 4;
  private static final int EDITED = 8;

  private final ContentCipher cipher;

  RecentCodec(ContentCipher cipher) {
    this.cipher = cipher;
  }

  /** An entry and what its element says about older entries. */
  record Decoded(Entry entry, long below) {}

  byte[] encode(Entry e, long below) {
    byte[] sealed = cipher.encrypt(fields(e), aad(e.conversationId(), e.seq()));
    return ByteBuffer.allocate(HEADER + sealed.length)
        .put((byte) VERSION)
        .putLong(e.seq())
        .putLong(below)
        .putShort((short) cipher.activeKeyId())
        .put(sealed)
        .array();
  }

  /**
   * @throws IllegalArgumentException when the element is not one this codec wrote for this
   *     conversation (other format, truncated, tampered with, unknown key)
   */
  Decoded decode(long conversationId, byte[] element) {
    if (element.length < HEADER || element[0] != VERSION)
      throw new IllegalArgumentException("not a version " + VERSION + " element");
    ByteBuffer b = ByteBuffer.wrap(element);
    b.get();
    long seq = b.getLong();
    long below = b.getLong();
    int keyId = b.getShort();
    byte[] sealed = new byte[element.length - HEADER];
    b.get(sealed);
    byte[] plain;
    try {
      plain = cipher.decrypt(keyId, sealed, aad(conversationId, seq));
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "element " + conversationId + "/" + seq + " does not decrypt", e);
    }
    return new Decoded(entry(conversationId, seq, plain), below);
  }

  /** The seq of an element, without decrypting it. */
  static long seq(byte[] element) {
    return ByteBuffer.wrap(element, 1, 8).getLong();
  }

  /**
   * The same element with another {@code below}; no re-encryption (the field is not authenticated).
   */
  static byte[] withBelow(byte[] element, long below) {
    byte[] copy = element.clone();
    ByteBuffer.wrap(copy).putLong(9, below);
    return copy;
  }

  private static byte[] fields(Entry e) {
    byte[] stored = e.content() == null ? null : ContentCodec.encode(e.content(), e.extras());
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(64 + (stored == null ? 0 : stored.length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(e.messageId());
      out.writeLong(e.senderId());
      out.writeShort(e.kind().code);
      out.writeLong(e.refSeq());
      writeInstant(out, e.createdAt());
      int flags =
          (e.recalledAt() != null ? RECALLED : 0)
              | (e.clientMsgId() != null ? CLIENT_MSG_ID : 0)
              | (e.content() != null ? CONTENT : 0)
              | (e.editedAt() != null ? EDITED : 0);
      out.writeByte(flags);
      if (e.recalledAt() != null) writeInstant(out, e.recalledAt());
      if (e.editedAt() != null) writeInstant(out, e.editedAt());
      if (e.clientMsgId() != null) out.writeUTF(e.clientMsgId());
      if (stored != null) {
        out.writeInt(stored.length);
        out.write(stored);
      }
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return bytes.toByteArray();
  }

  private static Entry entry(long conversationId, long seq, byte[] plain) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
      long messageId = in.readLong();
      long senderId = in.readLong();
      EntryKind kind = EntryKind.of(in.readShort());
      long refSeq = in.readLong();
      Instant createdAt = readInstant(in);
      int flags = in.readUnsignedByte();
      Instant recalledAt = (flags & RECALLED) != 0 ? readInstant(in) : null;
      Instant editedAt = (flags & EDITED) != 0 ? readInstant(in) : null;
      String clientMsgId = (flags & CLIENT_MSG_ID) != 0 ? in.readUTF() : null;
      ContentCodec.Decoded decoded = null;
      if ((flags & CONTENT) != 0) {
        byte[] stored = new byte[in.readInt()];
        in.readFully(stored);
        decoded = ContentCodec.decodeAll(stored);
      }
      return new Entry(
          conversationId,
          seq,
          messageId,
          senderId,
          clientMsgId,
          kind,
          decoded == null ? null : decoded.content(),
          decoded == null ? Extras.NONE : decoded.extras(),
          refSeq,
          createdAt,
          recalledAt,
          editedAt);
    } catch (IOException | RuntimeException x) {
      throw new IllegalArgumentException(
          "element " + conversationId + "/" + seq + " holds no entry", x);
    }
  }

  private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
    out.writeLong(at.getEpochSecond());
    out.writeInt(at.getNano());
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }

  private static byte[] aad(long conversationId, long seq) {
    return ByteBuffer.allocate(DOMAIN.length + 17)
        .put(DOMAIN)
        .put((byte) VERSION)
        .putLong(conversationId)
        .putLong(seq)
        .array();
  }
}
