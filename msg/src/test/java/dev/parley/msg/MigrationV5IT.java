package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.GetConversationRequest;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.Role;
import dev.parley.testkit.PostgresExtension;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Migration V5 on member rows written before it: every former group member gets the view the log
 * writer now records at a departure (design.md 8.7), rebuilt from the member rows, so that a former
 * member is never shown the live group.
 */
class MigrationV5IT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static final long A = 2001;
  static final long B = 2002;
  static final long C = 2003;
  static final long GROUP = 6001;
  static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

  @Test
  void formerMembersOfOldDeparturesSeeTheGroupAsAtTheirDeparture() {
    Flyway.configure()
        .dataSource(postgres.jdbcUrl(), postgres.user(), "")
        .schemas("msg")
        .defaultSchema("msg")
        .createSchemas(true)
        .locations("classpath:db/msg")
        .table("flyway_history")
        .target("4")
        .load()
        .migrate();
    // A created the group with B (seq 1), B was removed at seq 3 having read 2, C joined at 4; A
    // has read 5.
    postgres.database().jdbi().useHandle(MigrationV5IT::writeOldRows);

    try (MsgHarness msg = new MsgHarness(postgres, c -> c)) {
      msg.users.addAll(List.of(A, B, C));
      GetConversationResponse seen =
          msg.messages(B)
              .getConversation(
                  GetConversationRequest.newBuilder().setConversationId(GROUP).build());
      Conversation c = seen.getConversation();
      assertThat(c.getLeft()).isTrue();
      assertThat(c.getLastVisibleSeq()).isEqualTo(3);
      assertThat(c.getMemberCount()).isEqualTo(1);
      assertThat(c.getDisbanded()).isFalse();
      // C, who joined later, is not there; A's read marker is capped at B's departure.
      assertThat(seen.getMembersList())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.getUserId()).isEqualTo(A);
                assertThat(m.getRole()).isEqualTo(Role.ROLE_OWNER);
                assertThat(m.getReadSeq()).isEqualTo(3);
              });
      assertThat(
              msg.messages(A)
                  .getConversation(
                      GetConversationRequest.newBuilder().setConversationId(GROUP).build())
                  .getMembersList())
          .extracting(Member::getUserId)
          .containsExactly(A, C);
    }
  }

  private static void writeOldRows(Handle h) {
    h.execute(
        "INSERT INTO msg.conversations (conversation_id, type, title, owner_id, last_seq, member_count, created_at, last_activity_at) "
            + "VALUES (?, 2, 'old group', ?, 5, 2, ?, ?)",
        GROUP,
        A,
        at(0),
        at(5));
    member(h, A, 3, 1, null, 5, 0, null);
    member(h, B, 1, 1, 3L, 2, 0, at(3));
    member(h, C, 1, 4, null, 3, 4, null);
  }

  private static void member(
      Handle h,
      long user,
      int role,
      long first,
      Long last,
      long read,
      int joinedAt,
      OffsetDateTime leftAt) {
    h.execute(
        "INSERT INTO msg.members (conversation_id, user_id, role, first_visible_seq, last_visible_seq, read_seq, joined_at, left_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        GROUP,
        user,
        (short) role,
        first,
        last,
        read,
        at(joinedAt),
        leftAt);
  }

  private static OffsetDateTime at(int minutes) {
    return OffsetDateTime.ofInstant(T.plusSeconds(60L * minutes), ZoneOffset.UTC);
  }
}
