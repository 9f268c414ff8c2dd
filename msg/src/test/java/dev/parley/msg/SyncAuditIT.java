package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.audit.AuditReport;
import dev.parley.msg.audit.Finding;
import dev.parley.proto.client.AckRequest;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.GetStateRequest;
import dev.parley.proto.client.MarkReadRequest;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.PostgresExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sync audit (EXT-8) on real PostgreSQL: a user whose state came only through the service is
 * clean, and each fault written into the tables behind the service's back is named by its check.
 * The backlog gauges count devices by how far their acknowledged pts lags the head.
 */
class SyncAuditIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static MsgHarness msg;

  @BeforeAll
  static void start() {
    msg = new MsgHarness(postgres, c -> c);
  }

  @AfterAll
  static void stop() {
    msg.close();
  }

  /** Alice and Bob chat one to one and in a group with Carol; Bob reads some, acks on a device. */
  private record Cast(long alice, long bob, long carol, long direct, long group) {}

  private static Cast chatting() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long direct = 0;
    for (int i = 0; i < 6; i++)
      direct = msg.messages(alice).sendMessage(text(bob, "d" + i)).getConversationId();
    msg.messages(bob).sendMessage(text(alice, "reply"));
    long group =
        msg.groups(alice)
            .createGroup(
                CreateGroupRequest.newBuilder()
                    .setTitle("Audit")
                    .addUserIds(bob)
                    .addUserIds(carol)
                    .build())
            .getConversation()
            .getConversationId();
    for (int i = 0; i < 4; i++)
      msg.messages(carol)
          .sendMessage(
              SendMessageRequest.newBuilder()
                  .setConversationId(group)
                  .setClientMsgId("g" + i)
                  .setText(TextContent.newBuilder().setText("group " + i))
                  .build());
    msg.messages(bob)
        .markRead(MarkReadRequest.newBuilder().setConversationId(group).setSeq(3).build());
    return new Cast(alice, bob, carol, direct, group);
  }

  private static SendMessageRequest text(long to, String id) {
    return SendMessageRequest.newBuilder()
        .setUserId(to)
        .setClientMsgId(id)
        .setText(TextContent.newBuilder().setText("text " + id))
        .build();
  }

  @Test
  void stateMadeOnlyThroughTheServiceIsClean_andTheReportListsTheDevices() {
    Cast cast = chatting();
    long head = msg.messages(cast.bob()).getState(GetStateRequest.getDefaultInstance()).getPts();
    msg.messages(cast.bob(), 77_001).ack(AckRequest.newBuilder().setPts(head).build());
    msg.messages(cast.bob(), 77_002).ack(AckRequest.newBuilder().setPts(head - 2).build());

    for (long user : List.of(cast.alice(), cast.bob(), cast.carol())) {
      AuditReport report = msg.module.syncAudit().audit(user);
      assertThat(report.problems()).as(report.text()).isZero();
      assertThat(report.text()).startsWith("OK\n");
      assertThat(report.conversations()).isEqualTo(user == cast.carol() ? 1 : 2);
    }
    // A mistyped id is not silently "OK, nothing wrong": the report says nothing is stored.
    AuditReport nobody = msg.module.syncAudit().audit(424242);
    assertThat(nobody.findings()).extracting(Finding::check).containsExactly("no-data");
    assertThat(bobs(cast).findings()).extracting(Finding::check).doesNotContain("no-data");
    AuditReport bobs = msg.module.syncAudit().audit(cast.bob());
    assertThat(bobs.devices()).isEqualTo(2);
    assertThat(bobs.feedHead()).isEqualTo(head);
    assertThat(bobs.text())
        .contains("session 77001 acknowledged pts " + head + ", 0 behind")
        .contains("session 77002 acknowledged pts " + (head - 2) + ", 2 behind");
  }

  @Test
  void eachFaultWrittenBehindTheServicesBackIsNamed() {
    Cast cast = chatting();
    long head = msg.messages(cast.bob()).getState(GetStateRequest.getDefaultInstance()).getPts();
    msg.messages(cast.bob(), 78_001).ack(AckRequest.newBuilder().setPts(head).build());
    var jdbi = postgres.database().jdbi();
    jdbi.useHandle(
        h -> {
          // A hole in the middle of the group's log (seq 3 of 1..5).
          h.execute("DELETE FROM msg.entries WHERE conversation_id = ? AND seq = 3", cast.group());
          // A direct entry that never reached Bob's feed.
          h.execute(
              "DELETE FROM msg.feed WHERE user_id = ? AND kind = 1 AND conversation_id = ? AND seq = 2",
              cast.bob(),
              cast.direct());
          // A read position no device was told about (Bob's marker says 3), and one beyond the
          // head.
          h.execute(
              "UPDATE msg.members SET read_seq = 4 WHERE conversation_id = ? AND user_id = ?",
              cast.group(),
              cast.bob());
          h.execute(
              "UPDATE msg.members SET read_seq = 99 WHERE conversation_id = ? AND user_id = ?",
              cast.direct(),
              cast.bob());
          // A device cursor ahead of the feed.
          h.execute(
              "UPDATE msg.device_cursors SET acked_pts = ? WHERE session_id = 78001", head + 10);
        });

    AuditReport report = msg.module.syncAudit().audit(cast.bob());

    assertThat(report.text()).startsWith("PROBLEMS ");
    assertThat(report.findings())
        .filteredOn(f -> f.severity() == Finding.Severity.PROBLEM)
        .extracting(f -> f.check() + "@" + f.conversationId())
        .containsExactlyInAnyOrder(
            "cursor-ahead-of-feed@0",
            "seq-gap@" + cast.group(),
            "read-position-unknown-to-devices@" + cast.group(),
            "read-beyond-head@" + cast.direct(),
            "direct-entry-not-in-feed@" + cast.direct());
    assertThat(report.text()).contains("seq 3 is missing between stored entries");
    // Alice's own view of the direct chat is untouched: still clean for her feed.
    assertThat(msg.module.syncAudit().audit(cast.alice()).findings())
        .filteredOn(f -> f.severity() == Finding.Severity.PROBLEM)
        .extracting(Finding::check)
        .containsExactly("seq-gap");
  }

  @Test
  void backlogGaugesCountDevicesByHowFarBehindTheyAre() {
    Cast cast = chatting();
    long head = msg.messages(cast.alice()).getState(GetStateRequest.getDefaultInstance()).getPts();
    msg.messages(cast.alice(), 79_001).ack(AckRequest.newBuilder().setPts(head).build());
    msg.messages(cast.alice(), 79_002).ack(AckRequest.newBuilder().setPts(1).build());
    msg.module.refreshSyncMetrics();
    double upToDate = gauge("0");
    double behindFew = gauge("1-10");

    // Thirty more messages to Alice: both of her devices fall further behind.
    for (int i = 0; i < 30; i++) msg.messages(cast.bob()).sendMessage(text(cast.alice(), "m" + i));
    msg.module.refreshSyncMetrics();

    assertThat(gauge("0")).isEqualTo(upToDate - 1);
    assertThat(gauge("1-10")).isEqualTo(behindFew - 1);
    assertThat(gauge("11-100")).isGreaterThanOrEqualTo(2);
    assertThat(msg.meters.get("parley.sync.device.backlog.max").gauge().value())
        .isGreaterThanOrEqualTo(30 + head - 1);
    assertThat(msg.meters.get("parley.sync.devices.past.retention").gauge().value()).isZero();
  }

  private static AuditReport bobs(Cast cast) {
    return msg.module.syncAudit().audit(cast.bob());
  }

  private static double gauge(String bucket) {
    return msg.meters.get("parley.sync.devices").tag("backlog", bucket).gauge().value();
  }
}
