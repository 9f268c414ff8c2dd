package dev.parley.msg.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.presence.PresenceStatus.Status;
import dev.parley.common.privacy.Audience;
import dev.parley.common.privacy.PrivacySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PresenceRule} over every combination of its inputs: the target's audience, the viewer on
 * the always/never list or neither, friend or not, the viewer's own setting (reciprocity), blocked
 * or not, and online / seen / never seen; then the coarse ranges at their boundaries.
 */
class PresenceRuleTest {
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  static final PresenceRule RULE = new PresenceRule(Clock.fixed(NOW, ZoneOffset.UTC));
  static final long VIEWER = 1;
  static final long TARGET = 2;
  static final Instant AN_HOUR_AGO = NOW.minus(Duration.ofHours(1));

  enum OnList {
    NONE,
    ALWAYS,
    NEVER
  }

  private static PrivacySettings target(Audience lastSeen, OnList list) {
    return new PrivacySettings(
        Audience.EVERYONE,
        lastSeen,
        list == OnList.ALWAYS ? List.of(VIEWER) : List.of(),
        list == OnList.NEVER ? List.of(VIEWER) : List.of());
  }

  private static PrivacySettings viewer(Audience lastSeen) {
    return new PrivacySettings(Audience.EVERYONE, lastSeen, List.of(TARGET), List.of());
  }

  /** The expected answer, written as the rule in words, not as the code computes it. */
  private static boolean expectedShown(
      Audience targetSetting, OnList list, boolean friend, Audience mine, boolean blocked) {
    if (blocked) return false;
    if (mine == Audience.NOBODY) return false; // reciprocity, even with the target on my list
    if (list == OnList.NEVER) return false; // never-allow beats contacts and everyone
    if (list == OnList.ALWAYS) return true; // always-allow beats nobody
    return targetSetting == Audience.EVERYONE || (targetSetting == Audience.CONTACTS && friend);
  }

  @Test
  void everyCombination() {
    List<Status> statuses =
        List.of(new Status(true, null), new Status(false, AN_HOUR_AGO), Status.UNKNOWN);
    int checked = 0;
    for (Audience setting : Audience.values())
      for (OnList list : OnList.values())
        for (boolean friend : new boolean[] {false, true})
          for (Audience mine : Audience.values())
            for (boolean blocked : new boolean[] {false, true})
              for (Status status : statuses) {
                Seen seen =
                    RULE.decide(
                        new PresenceRule.Question(
                            VIEWER,
                            viewer(mine),
                            TARGET,
                            target(setting, list),
                            friend,
                            blocked,
                            status));
                Seen expected;
                if (blocked) expected = new Seen.Coarse(Seen.Range.LONG_AGO);
                else if (expectedShown(setting, list, friend, mine, false))
                  expected =
                      status.online()
                          ? new Seen.Online()
                          : status.lastSeen() != null
                              ? new Seen.LastSeen(AN_HOUR_AGO)
                              : new Seen.Coarse(Seen.Range.LONG_AGO);
                else
                  expected =
                      new Seen.Coarse(
                          status.online() || status.lastSeen() != null
                              ? Seen.Range.RECENTLY
                              : Seen.Range.LONG_AGO);
                assertThat(seen)
                    .as(
                        "%s %s friend=%s mine=%s blocked=%s %s",
                        setting, list, friend, mine, blocked, status)
                    .isEqualTo(expected);
                checked++;
              }
    assertThat(checked).isEqualTo(3 * 3 * 2 * 3 * 2 * 3);
  }

  @Test
  void everyoneSeesThemselvesExactly_evenHidingFromEveryone() {
    PrivacySettings hidden = target(Audience.NOBODY, OnList.NONE);
    Seen seen =
        RULE.decide(
            new PresenceRule.Question(
                VIEWER, hidden, VIEWER, hidden, false, false, new Status(false, AN_HOUR_AGO)));
    assertThat(seen).isEqualTo(new Seen.LastSeen(AN_HOUR_AGO));
  }

  @Test
  void coarseRangesAtTheirBoundaries() {
    List<Seen.Range> ranges = new ArrayList<>();
    for (Duration ago :
        List.of(
            Duration.ZERO,
            Duration.ofDays(3),
            Duration.ofDays(3).plusMillis(1),
            Duration.ofDays(7),
            Duration.ofDays(7).plusMillis(1),
            Duration.ofDays(30),
            Duration.ofDays(30).plusMillis(1),
            Duration.ofDays(4000)))
      ranges.add(PresenceRule.coarse(new Status(false, NOW.minus(ago)), NOW));
    assertThat(ranges)
        .containsExactly(
            Seen.Range.RECENTLY,
            Seen.Range.RECENTLY,
            Seen.Range.WITHIN_WEEK,
            Seen.Range.WITHIN_WEEK,
            Seen.Range.WITHIN_MONTH,
            Seen.Range.WITHIN_MONTH,
            Seen.Range.LONG_AGO,
            Seen.Range.LONG_AGO);
    assertThat(PresenceRule.coarse(new Status(true, null), NOW)).isEqualTo(Seen.Range.RECENTLY);
    assertThat(PresenceRule.coarse(Status.UNKNOWN, NOW)).isEqualTo(Seen.Range.LONG_AGO);
  }
}
