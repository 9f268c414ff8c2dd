package dev.parley.gateway.codec;

import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The two client encodings of one schema. WebSocket connections choose one by subprotocol, HTTP
 * calls by Content-Type; the answer always uses the encoding of the question.
 *
 * <p>JSON is canonical proto3 JSON: unknown fields are ignored when parsing (so an unknown
 * operation becomes "no op set"), default values are omitted when printing, 64-bit integers are
 * strings. Printer and parser are immutable and shared by all threads.
 *
 * <p><b>Unknown fields never get past decoding</b>, in either encoding: JSON cannot hold them (the
 * parser skips names it does not know), and protobuf's, which the runtime would otherwise keep in
 * each message and serialize again on the way to the services, are discarded while parsing.
 */
public enum Encoding {
  PROTOBUF("parley.v2.protobuf", "application/x-protobuf"),
  JSON("parley.v2.json", "application/json");

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final String subprotocol;
  private final String contentType;

  Encoding(String subprotocol, String contentType) {
    this.subprotocol = subprotocol;
    this.contentType = contentType;
  }

  public String subprotocol() {
    return subprotocol;
  }

  public String contentType() {
    return contentType;
  }

  /** Lower-case name used as a metric tag. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The encoding for a negotiated subprotocol; none (or an unknown one) means JSON. */
  public static Encoding ofSubprotocol(@Nullable String subprotocol) {
    return PROTOBUF.subprotocol.equals(subprotocol) ? PROTOBUF : JSON;
  }

  /** The encoding for a media type without parameters, or null when it is neither of ours. */
  public static @Nullable Encoding ofContentType(@Nullable CharSequence mimeType) {
    if (mimeType == null) return null;
    for (Encoding e : values()) {
      if (e.contentType.contentEquals(mimeType.toString().toLowerCase(Locale.ROOT))) return e;
    }
    return null;
  }

  /** Serializes into a new buffer owned by the caller. */
  public ByteBuf encode(Message message, ByteBufAllocator alloc) {
    if (this == PROTOBUF) return Unpooled.wrappedBuffer(message.toByteArray());
    return ByteBufUtil.writeUtf8(alloc, print(message));
  }

  /** Serializes into a byte array (for HTTP bodies, built off the event loop). */
  public byte[] toBytes(Message message) {
    return this == PROTOBUF
        ? message.toByteArray()
        : print(message).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses {@code in} (not released here) into a builder of the wanted type.
   *
   * @throws MalformedInputException for anything that is not a valid message of that type
   */
  @SuppressWarnings("unchecked")
  public <B extends Message.Builder> B decode(ByteBuf in, B builder)
      throws MalformedInputException {
    try {
      if (this == PROTOBUF) {
        // Unknown fields are dropped at every depth, never carried on: a field the schema does not
        // have would otherwise ride along inside a request (50 kB beside a 2-byte text) past every
        // limit that the services check on the fields they know.
        Parser<? extends Message> parser = builder.getDefaultInstanceForType().getParserForType();
        builder.mergeFrom(
            DiscardUnknownFieldsParser.wrap(parser).parseFrom(ByteBufUtil.getBytes(in)));
        return builder;
      }
      if (!ByteBufUtil.isText(in, StandardCharsets.UTF_8)) {
        throw new MalformedInputException("Text is not valid UTF-8");
      }
      PARSER.merge(in.toString(StandardCharsets.UTF_8), builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedInputException(
          (this == PROTOBUF ? "Invalid protobuf: " : "Invalid JSON: ") + e.getMessage());
    } catch (RuntimeException e) {
      // JsonFormat reports some malformed input (e.g. deeply nested or odd numbers) as runtime
      // errors.
      throw new MalformedInputException("Invalid input: " + e.getClass().getSimpleName());
    }
  }

  private static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only possible for Any fields with unknown types; our schema has none.
      throw new IllegalStateException(
          "Cannot print " + message.getDescriptorForType().getName(), e);
    }
  }
}
