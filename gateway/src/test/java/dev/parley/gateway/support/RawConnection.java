package dev.parley.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP connection that speaks HTTP and WebSocket byte by byte, for what no real client sends:
 * unmasked frames, lengths beyond the limit, invalid close codes, half-sent requests. Reads every
 * frame the server sends until it closes the connection, so a test can count close frames.
 */
public final class RawConnection implements AutoCloseable {
  public static final int OP_TEXT = 1;
  public static final int OP_CLOSE = 8;

  /** A frame from the server; {@code closeCode} is -1 for frames other than close. */
  public record Frame(int opcode, byte[] payload) {
    public int closeCode() {
      return opcode == OP_CLOSE && payload.length >= 2
          ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff)
          : -1;
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** A plain TCP connection; nothing sent yet. Reads time out after 10 s. */
  public static RawConnection open(int port) {
    try {
      Socket s = new Socket("127.0.0.1", port);
      s.setSoTimeout(10_000);
      return new RawConnection(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A connection upgraded to WebSocket with the JSON subprotocol; fails unless answered 101. */
  public static RawConnection webSocket(int port) {
    RawConnection c = open(port);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    c.write(
        ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: parley.v2.json\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    String head = c.readHead();
    if (!head.startsWith("HTTP/1.1 101")) throw new IllegalStateException("No upgrade: " + head);
    return c;
  }

  public void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends one frame.
   *
   * @param declaredLength the length written in the header (may exceed the payload sent)
   */
  public void frame(boolean fin, int opcode, boolean masked, byte[] payload, long declaredLength) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (declaredLength < 126) {
      f.write(maskBit | (int) declaredLength);
    } else if (declaredLength < 65536) {
      f.write(maskBit | 126);
      f.write((int) (declaredLength >> 8));
      f.write((int) declaredLength);
    } else {
      f.write(maskBit | 127);
      for (int i = 7; i >= 0; i--) f.write((int) (declaredLength >> (8 * i)));
    }
    byte[] mask = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(mask);
      f.writeBytes(mask);
    }
    for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i % 4]);
    write(f.toByteArray());
  }

  public void frame(boolean fin, int opcode, boolean masked, byte[] payload) {
    frame(fin, opcode, masked, payload, payload.length);
  }

  /** Sends a close frame carrying {@code code}. */
  public void close(int code) {
    frame(true, OP_CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code});
  }

  /** The HTTP response head (status line and headers). */
  public String readHead() {
    StringBuilder head = new StringBuilder();
    try {
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) throw new EOFException("closed after " + head);
        head.append((char) b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return head.toString();
  }

  /** Reads and returns the next {@code n} bytes (a response body of known length). */
  public String readBody(int n) {
    try {
      byte[] body = new byte[n];
      in.readFully(body);
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every frame until the server closes the connection (or resets it). */
  public List<Frame> framesUntilClosed() {
    List<Frame> frames = new ArrayList<>();
    try {
      while (true) {
        int b0 = in.read();
        if (b0 < 0) return frames;
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = in.readLong();
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        frames.add(new Frame(b0 & 0x0f, payload));
      }
    } catch (SocketException | EOFException e) {
      return frames; // reset or cut mid-frame: what arrived is what counts
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close within 10 s; frames so far: " + frames);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * True if the server closes the connection (a read returns end of stream, or a reset) within
   * {@code wait}; false if the connection is still open then. Expects no data from the server.
   */
  public boolean closedWithin(Duration wait) {
    try {
      socket.setSoTimeout((int) wait.toMillis());
      return in.read() < 0;
    } catch (SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes bytes, returning false instead of failing when the server has closed the connection. */
  public boolean tryWrite(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Drops the connection at once with a TCP reset, as a client losing its network would look. */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
