package dev.parley.user.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import dev.parley.user.session.Device;
import dev.parley.user.session.Platform;
import org.junit.jupiter.api.Test;

class ProfileRulesTest {
  @Test
  void displayName() {
    assertThat(ProfileRules.displayName("  Ada  ", "f")).isEqualTo("Ada");
    assertThat(ProfileRules.displayName("李小龙", "f")).isEqualTo("李小龙");
    assertThat(ProfileRules.displayName("x".repeat(64), "f")).hasSize(64);
    for (String bad :
        new String[] {"", "   ", "x".repeat(65), "a\tb", "a\u0000b", "a\u2028b", "a\u009fb"}) {
      assertThatThrownBy(() -> ProfileRules.displayName(bad, "f"))
          .isInstanceOf(ParleyException.class);
    }
  }

  @Test
  void username() {
    assertThat(ProfileRules.username(" Ada_1815 ", "f")).isEqualTo("ada_1815");
    assertThat(ProfileRules.username("", "f")).isEmpty();
    assertThat(ProfileRules.username("abcde", "f")).isEqualTo("abcde");
    assertThat(ProfileRules.username("a".repeat(32), "f")).hasSize(32);
    for (String bad :
        new String[] {"abcd", "a".repeat(33), "1abcde", "_abcde", "ab.cde", "abc de", "abcdé"}) {
      assertThatThrownBy(() -> ProfileRules.username(bad, "f"))
          .as(bad)
          .isInstanceOf(ParleyException.class);
    }
  }

  @Test
  void avatarFileId() {
    assertThat(ProfileRules.avatarFileId("", "f")).isEmpty();
    assertThat(ProfileRules.avatarFileId("AbC-12_x", "f")).isEqualTo("AbC-12_x");
    assertThat(ProfileRules.avatarFileId("a".repeat(128), "f")).hasSize(128);
    for (String bad : new String[] {"a".repeat(129), "a/b", "a.b", "a b"}) {
      assertThatThrownBy(() -> ProfileRules.avatarFileId(bad, "f"))
          .isInstanceOf(ParleyException.class);
    }
  }

  @Test
  void device() {
    Device d = Device.of("", Platform.IOS, " iPhone ");
    assertThat(d.name()).isEqualTo("iPhone");
    assertThat(d.withIdOrGenerated().deviceId()).matches("[A-Za-z0-9_-]{22}");
    assertThat(Device.of("a.B-c_9", Platform.WEB, "").withIdOrGenerated().deviceId())
        .isEqualTo("a.B-c_9");
    assertThatThrownBy(() -> Device.of("x".repeat(65), Platform.WEB, ""))
        .isInstanceOf(ParleyException.class);
    assertThatThrownBy(() -> Device.of("a/b", Platform.WEB, ""))
        .isInstanceOf(ParleyException.class);
    assertThatThrownBy(() -> Device.of("ok", null, "")).isInstanceOf(ParleyException.class);
    assertThatThrownBy(() -> Device.of("ok", Platform.WEB, "n".repeat(65)))
        .isInstanceOf(ParleyException.class);
  }
}
