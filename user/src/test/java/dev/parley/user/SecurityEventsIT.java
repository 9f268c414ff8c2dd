package dev.parley.user;

import static dev.parley.user.UserServiceHarness.email;
import static dev.parley.user.UserServiceHarness.reason;
import static dev.parley.user.UserServiceHarness.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.id.Snowflake;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.ListSecurityEventsRequest;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RevokeSessionRequest;
import dev.parley.proto.client.SecurityEvent;
import dev.parley.proto.client.SetPasswordRequest;
import dev.parley.proto.internal.RecordRoleChangeRequest;
import dev.parley.testkit.PostgresExtension;
import dev.parley.user.audit.SecurityEventJanitor;
import dev.parley.user.audit.SecurityLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 9, security events: what is recorded, who sees it, and retention. */
class SecurityEventsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static UserServiceHarness users;

  private static final String PASSWORD = "correct horse battery";

  @BeforeAll
  static void start() {
    users = new UserServiceHarness(postgres.database(), TestConfigs.userConfig());
  }

  @AfterAll
  static void stop() throws Exception {
    users.close();
  }

  private static List<SecurityEvent> events(AuthTokens t, ListSecurityEventsRequest request) {
    return users.as(t).listSecurityEvents(request).getEventsList();
  }

  private static List<SecurityEvent> events(AuthTokens t) {
    return events(t, ListSecurityEventsRequest.getDefaultInstance());
  }

  @Test
  void loginsFailuresPasswordChangesRevocationsAndReuseAreListedNewestFirst() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = users.register(id, PASSWORD, "laptop");
    users.clock.advance(Duration.ofSeconds(1));
    assertThat(reason(() -> users.loginWithPassword(id, "a wrong guess", "phone")))
        .isEqualTo(Reason.INVALID_CREDENTIALS);
    users.clock.advance(Duration.ofSeconds(1));
    AuthTokens phone = users.loginWithPassword(id, PASSWORD, "phone");
    users.clock.advance(Duration.ofSeconds(1));
    users
        .as(laptop)
        .revokeSession(
            RevokeSessionRequest.newBuilder().setSessionId(phone.getSessionId()).build());
    users.clock.advance(Duration.ofSeconds(1));
    AuthTokens tablet = users.loginWithPassword(id, PASSWORD, "tablet");
    users
        .anonymous()
        .refresh(RefreshRequest.newBuilder().setRefreshToken(tablet.getRefreshToken()).build());
    users.clock.advance(Duration.ofSeconds(10)); // past the reuse window
    assertThat(
            reason(
                () ->
                    users
                        .anonymous()
                        .refresh(
                            RefreshRequest.newBuilder()
                                .setRefreshToken(tablet.getRefreshToken())
                                .build())))
        .isEqualTo(Reason.REFRESH_TOKEN_REUSED);
    users.clock.advance(Duration.ofSeconds(1));
    users
        .as(laptop)
        .setPassword(
            SetPasswordRequest.newBuilder()
                .setCurrentPassword(PASSWORD)
                .setNewPassword("a new password")
                .build());

    List<SecurityEvent> events = events(laptop);
    assertThat(events)
        .extracting(SecurityEvent::getKind)
        .containsExactly(
            "password_changed",
            "session_revoked",
            "refresh_token_reused",
            "login",
            "session_revoked",
            "login",
            "login_failed",
            "registered");
    assertThat(events.get(0).getSessionId()).isEqualTo(laptop.getSessionId());
    assertThat(events.get(1).getDetail()).isEqualTo("refresh_token_reused");
    assertThat(events.get(4).getSessionId()).isEqualTo(phone.getSessionId());
    assertThat(events.get(4).getDetail()).isEqualTo("revoked");
    assertThat(events.get(5).getIp()).isEqualTo("192.0.2.1");
    assertThat(events.get(6).getDetail()).startsWith("password ").doesNotContain(id.getEmail());
    assertThat(events.get(0).getAtMs()).isEqualTo(users.clock.millis());

    // Paging: the two before the third event's time.
    List<SecurityEvent> page =
        events(
            laptop,
            ListSecurityEventsRequest.newBuilder()
                .setLimit(2)
                .setBeforeMs(events.get(2).getAtMs())
                .build());
    assertThat(page).extracting(SecurityEvent::getKind).containsExactly("login", "session_revoked");
  }

  private static RecordRoleChangeRequest roleChange(AuthTokens member, AuthTokens by, String role) {
    return RecordRoleChangeRequest.newBuilder()
        .setUserId(member.getUserId())
        .setGroupId(77)
        .setActorId(by.getUserId())
        .setRole(role)
        .build();
  }

  /** The message service reports group role changes; only the member concerned sees them. */
  @Test
  void aReportedRoleChangeIsTheMembersEventWithGroupRoleAndActor() {
    AuthTokens owner = users.registerEmail();
    AuthTokens member = users.registerEmail();
    users.clock.advance(Duration.ofSeconds(1));
    users.as(owner).recordRoleChange(roleChange(member, owner, "admin"));

    SecurityEvent event = events(member).get(0);
    assertThat(event.getKind()).isEqualTo("role_changed");
    assertThat(event.getDetail()).isEqualTo("group=77 role=admin by=" + owner.getUserId());
    assertThat(event.getAtMs()).isEqualTo(users.clock.millis());
    assertThat(events(owner)).extracting(SecurityEvent::getKind).doesNotContain("role_changed");
    assertThat(
            reason(() -> users.as(owner).recordRoleChange(roleChange(member, owner, "superuser"))))
        .isEqualTo(Reason.INVALID_ARGUMENT);
  }

  @Test
  void eachUserSeesOnlyTheirOwnEvents() {
    AuthTokens mine = users.registerEmail();
    AuthTokens theirs = users.registerEmail();
    assertThat(events(mine))
        .extracting(SecurityEvent::getSessionId)
        .containsExactly(mine.getSessionId());
    assertThat(events(theirs))
        .extracting(SecurityEvent::getSessionId)
        .containsExactly(theirs.getSessionId());
    assertThat(
            reason(
                () ->
                    users
                        .as(mine)
                        .listSecurityEvents(
                            ListSecurityEventsRequest.newBuilder().setLimit(101).build())))
        .isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(
            reason(
                () ->
                    users
                        .anonymous()
                        .listSecurityEvents(ListSecurityEventsRequest.getDefaultInstance())))
        .isEqualTo(Reason.UNAUTHENTICATED);
  }

  @Test
  void theJanitorDeletesEventsPastRetention() {
    AuthTokens old = users.registerEmail();
    users.clock.advance(Duration.ofDays(91));
    AuthTokens recent = users.registerEmail();
    SecurityLog log =
        new SecurityLog(postgres.database().jdbi(), new Snowflake(9, users.clock), users.clock);
    try (SecurityEventJanitor janitor =
        new SecurityEventJanitor(log, Duration.ofDays(90), users.clock)) {
      assertThat(janitor.run()).isPositive();
    }
    assertThat(events(old)).isEmpty();
    assertThat(events(recent)).hasSize(1);
  }
}
