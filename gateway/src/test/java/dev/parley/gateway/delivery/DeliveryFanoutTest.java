package dev.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.gateway.codec.Encoding;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GoAway;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ServerFrame;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.Delivery;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryFanoutTest {
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final DeliveryFanout fanout = new DeliveryFanout(registry, ByteBufAllocator.DEFAULT);
  private final List<Capture> all = new ArrayList<>();
  private static final Event EVENT =
      Event.newBuilder().setGoAway(GoAway.newBuilder().setReason("x")).build();

  /** Records what it is given; frames are released in {@link #releaseAll()}. */
  private final class Capture implements Recipient {
    final long user;
    final long session;
    final Encoding encoding;
    final List<WebSocketFrame> frames = new ArrayList<>();
    int disconnects;

    Capture(long user, long session, Encoding encoding) {
      this.user = user;
      this.session = session;
      this.encoding = encoding;
      all.add(this);
      registry.register(this);
    }

    @Override
    public long userId() {
      return user;
    }

    @Override
    public long sessionId() {
      return session;
    }

    @Override
    public Encoding encoding() {
      return encoding;
    }

    @Override
    public void deliver(WebSocketFrame frame, boolean disconnect) {
      if (frame != null) frames.add(frame);
      if (disconnect) disconnects++;
    }
  }

  @AfterEach
  void releaseAll() {
    for (Capture c : all) {
      for (WebSocketFrame f : c.frames) f.release();
    }
  }

  @Test
  void encodesOncePerEncodingAndSharesTheBytes() throws Exception {
    Capture j1 = new Capture(1, 11, Encoding.JSON);
    Capture j2 = new Capture(1, 12, Encoding.JSON);
    Capture p1 = new Capture(2, 21, Encoding.PROTOBUF);
    Capture p2 = new Capture(2, 22, Encoding.PROTOBUF);
    fanout.accept(
        Delivery.newBuilder().addUserIds(1).addUserIds(2).addUserIds(1).setEvent(EVENT).build());

    assertThat(j1.frames).hasSize(1); // a repeated user id does not deliver twice
    TextWebSocketFrame t1 = (TextWebSocketFrame) j1.frames.get(0);
    TextWebSocketFrame t2 = (TextWebSocketFrame) j2.frames.get(0);
    assertThat(t1.text()).isEqualTo("{\"event\":{\"goAway\":{\"reason\":\"x\"}}}");

    BinaryWebSocketFrame b1 = (BinaryWebSocketFrame) p1.frames.get(0);
    BinaryWebSocketFrame b2 = (BinaryWebSocketFrame) p2.frames.get(0);
    assertThat(ServerFrame.parseFrom(ByteBufUtil.getBytes(b1.content())).getEvent())
        .isEqualTo(EVENT);

    // Duplicates share one buffer and its reference count; the fan-out dropped its own reference,
    // so
    // the recipients' frames hold the only ones and the last release frees the bytes.
    assertThat(t1.refCnt()).isEqualTo(2);
    assertThat(b1.refCnt()).isEqualTo(2);
    assertThat(t1.release()).isFalse();
    assertThat(t2.release()).isTrue();
    assertThat(t1.refCnt()).isZero();
    j1.frames.clear();
    j2.frames.clear();
  }

  @Test
  void anEntryInSomeFeedsOnly_givesThoseTheirPts_andTheOthersOneSharedFrame() throws Exception {
    Capture inFeed = new Capture(1, 11, Encoding.PROTOBUF);
    Capture member1 = new Capture(2, 21, Encoding.PROTOBUF);
    Capture member2 = new Capture(3, 31, Encoding.PROTOBUF);
    Event entry =
        Event.newBuilder()
            .setUpdate(
                Update.newBuilder().setMessage(Message.newBuilder().setConversationId(9).setSeq(4)))
            .build();
    fanout.accept(
        Delivery.newBuilder()
            .addUserIds(1)
            .addUserPts(17)
            .addUserIds(2)
            .addUserPts(0)
            .addUserIds(3)
            .addUserPts(0)
            .setEvent(entry)
            .build());

    Update joined = updateOf(inFeed.frames.get(0));
    assertThat(joined.getPts()).isEqualTo(17);
    assertThat(joined.getMessage().getSeq()).isEqualTo(4);
    assertThat(updateOf(member1.frames.get(0)).getPts()).isZero();
    assertThat(updateOf(member2.frames.get(0)).getMessage().getSeq()).isEqualTo(4);
    // The two without a pts share one encoding: one buffer, two references.
    BinaryWebSocketFrame f2 = (BinaryWebSocketFrame) member1.frames.get(0);
    BinaryWebSocketFrame f3 = (BinaryWebSocketFrame) member2.frames.get(0);
    assertThat(f2.content().unwrap()).isSameAs(f3.content().unwrap());
    assertThat(f2.refCnt()).isEqualTo(2);
    assertThat(((BinaryWebSocketFrame) inFeed.frames.get(0)).refCnt()).isEqualTo(1);
  }

  private static Update updateOf(WebSocketFrame frame) throws Exception {
    return ServerFrame.parseFrom(ByteBufUtil.getBytes(frame.content())).getEvent().getUpdate();
  }

  @Test
  void onlyExceptAndDisconnect() {
    Capture a = new Capture(1, 11, Encoding.JSON);
    Capture b = new Capture(1, 12, Encoding.PROTOBUF);
    Capture other = new Capture(2, 21, Encoding.JSON);

    fanout.accept(Delivery.newBuilder().addUserIds(1).setOnlySessionId(12).setEvent(EVENT).build());
    assertThat(a.frames).isEmpty();
    assertThat(b.frames).hasSize(1);

    fanout.accept(
        Delivery.newBuilder().addUserIds(1).setExceptSessionId(12).setEvent(EVENT).build());
    assertThat(a.frames).hasSize(1);
    assertThat(b.frames).hasSize(1);

    fanout.accept(
        Delivery.newBuilder().addUserIds(1).setEvent(EVENT).setDisconnectSessionId(11).build());
    assertThat(a.frames).hasSize(2);
    assertThat(a.disconnects).isEqualTo(1);
    assertThat(b.frames).hasSize(2);
    assertThat(b.disconnects).isZero();

    // A disconnect without an event closes without sending anything.
    fanout.accept(Delivery.newBuilder().addUserIds(1).setDisconnectSessionId(12).build());
    assertThat(b.frames).hasSize(2);
    assertThat(b.disconnects).isEqualTo(1);
    assertThat(other.frames).isEmpty();
  }

  @Test
  void registryTracksConnectionsPerUser() {
    Capture a = new Capture(1, 11, Encoding.JSON);
    Capture b = new Capture(1, 12, Encoding.JSON);
    assertThat(registry.size()).isEqualTo(2);
    assertThat(registry.connectionsOf(1)).containsExactlyInAnyOrder(a, b);
    registry.unregister(a);
    registry.unregister(a);
    assertThat(registry.size()).isEqualTo(1);
    registry.unregister(b);
    assertThat(registry.connectionsOf(1)).isEmpty();
    assertThat(registry.size()).isZero();
  }
}
