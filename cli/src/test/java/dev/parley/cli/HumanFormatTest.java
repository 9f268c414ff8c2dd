package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Account;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GoAway;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.ProfileUpdated;
import dev.parley.proto.client.RequestCodeResponse;
import dev.parley.proto.client.Session;
import dev.parley.proto.client.SessionAdded;
import dev.parley.proto.client.SessionRevoked;
import dev.parley.proto.client.UserPresence;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HumanFormatTest {
  static final long NOV_26_2025_2040_UTC = 1764189600000L;

  final HumanFormat format = new HumanFormat(ZoneOffset.UTC);

  final Session laptop =
      Session.newBuilder()
          .setSessionId(7318945121304576L)
          .setDeviceId("laptop-5f2c")
          .setPlatform(Platform.PLATFORM_WEB)
          .setDeviceName("Firefox on Linux")
          .setIp("203.0.113.7")
          .setLastSeenAtMs(NOV_26_2025_2040_UTC)
          .setCurrent(true)
          .build();
  final Session phone =
      Session.newBuilder()
          .setSessionId(42)
          .setDeviceId("phone-81aa")
          .setPlatform(Platform.PLATFORM_ANDROID)
          .setDeviceName("Pixel 9")
          .build();

  @Test
  void presenceChangesReadAsOnlineOrTheLastSeenTime() {
    assertThat(
            format.event(
                Event.newBuilder()
                    .setPresenceChanged(UserPresence.newBuilder().setUserId(42).setOnline(true))
                    .build()))
        .isEqualTo("presence: user 42 online");
    assertThat(
            format.event(
                Event.newBuilder()
                    .setPresenceChanged(
                        UserPresence.newBuilder().setUserId(42).setLastSeenMs(NOV_26_2025_2040_UTC))
                    .build()))
        .isEqualTo("presence: user 42 last seen 2025-11-26 20:40:00");
  }

  @Test
  void sessionsAreATableWithTheCurrentOneMarked() {
    assertThat(format.sessions(List.of(laptop, phone)))
        .isEqualTo(
            """
           ID                DEVICE       PLATFORM  NAME              IP           LAST SEEN
        *  7318945121304576  laptop-5f2c  web       Firefox on Linux  203.0.113.7  2025-11-26 20:40:00
           42                phone-81aa   android   Pixel 9           -            -
        """);
  }

  @Test
  void anAccountListsEveryFieldWithDashesForAbsentOnes() {
    Account account =
        Account.newBuilder()
            .setProfile(
                Profile.newBuilder().setUserId(7).setDisplayName("Alice").setUsername("alice_w"))
            .setEmail("alice@example.com")
            .setHasPassword(true)
            .setCreatedAtMs(NOV_26_2025_2040_UTC)
            .build();

    assertThat(format.account(account, 99))
        .isEqualTo(
            """
        user      7
        name      Alice
        username  alice_w
        avatar    -
        e-mail    alice@example.com
        phone     -
        password  yes
        created   2025-11-26 20:40:00
        session   99
        """);
  }

  @Test
  void aProfile() {
    assertThat(format.profile(Profile.newBuilder().setUserId(7).setDisplayName("Bob").build()))
        .isEqualTo(
            """
        user      7
        name      Bob
        username  -
        avatar    -
        """);
  }

  @Test
  void eventsAreOneLineEachNamedAsInTheProtocol() {
    assertThat(
            format.event(
                Event.newBuilder()
                    .setSessionAdded(SessionAdded.newBuilder().setSession(phone))
                    .build()))
        .isEqualTo("session_added: session 42, device phone-81aa (android, \"Pixel 9\"), ip -");
    assertThat(
            format.event(
                Event.newBuilder()
                    .setSessionRevoked(
                        SessionRevoked.newBuilder().setSessionId(42).setReason("revoked"))
                    .build()))
        .isEqualTo("session_revoked: session 42 (revoked)");
    assertThat(
            format.event(
                Event.newBuilder()
                    .setProfileUpdated(
                        ProfileUpdated.newBuilder()
                            .setProfile(
                                Profile.newBuilder().setUserId(7).setDisplayName("Alice W")))
                    .build()))
        .isEqualTo("profile_updated: user 7, name \"Alice W\", username -, avatar -");
    assertThat(
            format.event(
                Event.newBuilder()
                    .setGoAway(GoAway.newBuilder().setReconnectAfterMs(500).setReason("shutdown"))
                    .build()))
        .isEqualTo("go_away: reconnect after 500 ms (shutdown)");
    assertThat(format.event(Event.getDefaultInstance()))
        .isEqualTo("unknown event (newer than this client)");
  }

  @Test
  void codeSent() {
    RequestCodeResponse sent =
        RequestCodeResponse.newBuilder()
            .setCodeLength(6)
            .setExpiresInSeconds(300)
            .setResendAfterSeconds(60)
            .build();
    assertThat(format.codeSent(Identifiers.parse("+4915112345678"), sent))
        .isEqualTo(
            "sent a 6-digit code to +4915112345678; it expires in 300 s, a new one can be requested in 60 s");
  }

  @Test
  void timesAreInTheGivenZoneAndZeroIsUnknown() {
    assertThat(new HumanFormat(ZoneOffset.ofHours(2)).time(NOV_26_2025_2040_UTC))
        .isEqualTo("2025-11-26 22:40:00");
    assertThat(format.time(0)).isEqualTo("-");
  }

  @Test
  void tableCellsArePaddedToTheWidestWithoutTrailingBlanks() {
    assertThat(new Table().row("a", "bbb", "").row("cccc", "d", "e").render())
        .isEqualTo(
            """
        a     bbb
        cccc  d    e
        """);
  }
}
