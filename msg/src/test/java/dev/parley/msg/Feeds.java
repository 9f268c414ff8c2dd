package dev.parley.msg;

import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.SyncGroupsResponse;
import dev.parley.proto.client.Update;
import java.util.ArrayList;
import java.util.List;

/** Reading a user's whole feed and a conversation's whole visible log in tests. */
final class Feeds {
  private Feeds() {}

  /** Every update in the user's feed, oldest first. */
  static List<Update> all(MsgHarness msg, long userId) {
    List<Update> out = new ArrayList<>();
    long pts = 0;
    while (true) {
      GetDifferenceResponse d =
          msg.messages(userId)
              .getDifference(GetDifferenceRequest.newBuilder().setPts(pts).setLimit(1000).build());
      out.addAll(d.getUpdatesList());
      pts = d.getPts();
      if (!d.getMore()) return out;
    }
  }

  /** The entries of one conversation in the user's feed, oldest first. */
  static List<Message> entries(MsgHarness msg, long userId, long conversationId) {
    return all(msg, userId).stream()
        .filter(Update::hasMessage)
        .map(Update::getMessage)
        .filter(m -> m.getConversationId() == conversationId)
        .toList();
  }

  /**
   * The entries of one conversation a device of the user gets by following its log from nothing
   * (sync_groups from seq 0, asking again while there is more), oldest first.
   */
  static List<Message> synced(MsgHarness msg, long userId, long conversationId) {
    List<Message> out = new ArrayList<>();
    long held = 0;
    while (true) {
      SyncGroupsResponse r =
          msg.messages(userId)
              .syncGroups(
                  SyncGroupsRequest.newBuilder()
                      .addConversationIds(conversationId)
                      .addSeqs(held)
                      .build());
      out.addAll(r.getMessagesList());
      if (r.getGroupsCount() == 0) return out;
      held = r.getGroups(0).getSyncedSeq();
      if (!r.getMore()) return out;
    }
  }

  /** The seqs of the entries the user may read, oldest first. */
  static List<Long> history(MsgHarness msg, long userId, long conversationId) {
    return msg
        .messages(userId)
        .getHistory(
            GetHistoryRequest.newBuilder()
                .setConversationId(conversationId)
                .setForward(true)
                .setLimit(200)
                .build())
        .getMessagesList()
        .stream()
        .map(Message::getSeq)
        .toList();
  }

  /** The service content of entry {@code seq}, read as {@code userId}. */
  static ServiceContent service(MsgHarness msg, long userId, long conversationId, long seq) {
    return msg.messages(userId)
        .getHistory(
            GetHistoryRequest.newBuilder()
                .setConversationId(conversationId)
                .setAfterSeq(seq - 1)
                .setForward(true)
                .setLimit(1)
                .build())
        .getMessages(0)
        .getService();
  }
}
