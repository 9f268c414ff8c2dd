package dev.parley.push.dispatch;

import dev.parley.proto.client.Event;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.Delivery;

/** Deliveries as the services publish them. */
final class Deliveries {
  private Deliveries() {}

  /** A message update of {@code conversation} at {@code seq}: users[i] gets pts[i]. */
  static Delivery message(long conversation, long seq, long[] users, long[] pts) {
    Message m =
        Message.newBuilder()
            .setConversationId(conversation)
            .setSeq(seq)
            .setText(TextContent.newBuilder().setText("m" + seq))
            .build();
    Delivery.Builder d =
        Delivery.newBuilder()
            .setEvent(Event.newBuilder().setUpdate(Update.newBuilder().setMessage(m)));
    for (long u : users) d.addUserIds(u);
    for (long p : pts) d.addUserPts(p);
    return d.build();
  }

  static Delivery readMarker(long user, long pts, long conversation) {
    return Delivery.newBuilder()
        .addUserIds(user)
        .addUserPts(pts)
        .setEvent(
            Event.newBuilder()
                .setUpdate(
                    Update.newBuilder()
                        .setReadMarker(ReadMarker.newBuilder().setConversationId(conversation))))
        .build();
  }

  static long[] users(long... ids) {
    return ids;
  }
}
