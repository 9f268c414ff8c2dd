package dev.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The two wire encodings of the client protocol; one schema, chosen per connection by the WebSocket
 * subprotocol and per HTTP call by the content type.
 *
 * <p>{@link #PROTOBUF} sends binary frames with the protobuf encoding. {@link #JSON} sends text
 * frames with canonical proto3 JSON (lowerCamelCase names, 64-bit integers as strings, default
 * values omitted); when parsing, unknown fields are ignored so that an older client keeps working
 * against a newer server.
 */
public enum Encoding {
  PROTOBUF("parley.v2.protobuf", "application/x-protobuf") {
    @Override
    public byte[] toBytes(MessageOrBuilder message) {
      return build(message).toByteArray();
    }

    @Override
    public <B extends Message.Builder> B merge(byte[] data, B builder)
        throws InvalidProtocolBufferException {
      builder.mergeFrom(data);
      return builder;
    }
  },

  JSON("parley.v2.json", "application/json") {
    @Override
    public byte[] toBytes(MessageOrBuilder message) {
      return toJson(message).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <B extends Message.Builder> B merge(byte[] data, B builder)
        throws InvalidProtocolBufferException {
      return mergeJson(new String(data, StandardCharsets.UTF_8), builder);
    }
  };

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final String subprotocol;
  private final String contentType;

  Encoding(String subprotocol, String contentType) {
    this.subprotocol = subprotocol;
    this.contentType = contentType;
  }

  /** The WebSocket subprotocol that selects this encoding. */
  public String subprotocol() {
    return subprotocol;
  }

  /** The HTTP content type of bodies in this encoding. */
  public String contentType() {
    return contentType;
  }

  /**
   * Whether WebSocket frames in this encoding are text frames (JSON) rather than binary (protobuf).
   */
  public boolean textFrames() {
    return this == JSON;
  }

  /** Encodes a message (or a builder, which is built first) as an HTTP body or a frame payload. */
  public abstract byte[] toBytes(MessageOrBuilder message);

  /** Merges an encoded message into {@code builder} and returns the builder. */
  public abstract <B extends Message.Builder> B merge(byte[] data, B builder)
      throws InvalidProtocolBufferException;

  /** Canonical proto3 JSON without insignificant whitespace. */
  public static String toJson(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only possible for google.protobuf.Any with an unknown type, which the protocol does not
      // use.
      throw new IllegalArgumentException(
          "cannot print " + message.getDescriptorForType().getFullName(), e);
    }
  }

  /** Merges proto3 JSON into {@code builder}, ignoring unknown fields, and returns the builder. */
  public static <B extends Message.Builder> B mergeJson(String json, B builder)
      throws InvalidProtocolBufferException {
    PARSER.merge(json, builder);
    return builder;
  }

  /** The encoding a WebSocket subprotocol selects. */
  public static Optional<Encoding> forSubprotocol(String subprotocol) {
    for (Encoding e : values()) {
      if (e.subprotocol.equals(subprotocol)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * The encoding of an HTTP {@code Content-Type} value; parameters such as a charset are ignored.
   */
  public static Optional<Encoding> forContentType(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    for (Encoding e : values()) {
      if (e.contentType.equals(mediaType)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static Message build(MessageOrBuilder message) {
    return message instanceof Message.Builder builder ? builder.build() : (Message) message;
  }
}
