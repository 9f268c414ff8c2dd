package dev.parley.user.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierTest {

  @ParameterizedTest
  @CsvSource({
    "ada@example.com, ada@example.com",
    "'  Ada.Lovelace@Example.COM ', ada.lovelace@example.com",
    "first+tag@sub.example.co.uk, first+tag@sub.example.co.uk",
    "o'hara@example.org, o'hara@example.org",
    "x@xn--bcher-kva.example, x@xn--bcher-kva.example",
  })
  void normalizesEmail(String raw, String normalized) {
    Identifier id = Identifier.email(raw, "identifier");
    assertThat(id.kind()).isEqualTo(Identifier.Kind.EMAIL);
    assertThat(id.value()).isEqualTo(normalized);
    assertThat(id.channel()).isEqualTo("email");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "plain",
        "@example.com",
        "a@",
        "a@b",
        "a@b.c",
        "a..b@example.com",
        ".a@example.com",
        "a.@example.com",
        "a@-example.com",
        "a@example-.com",
        "a@exa_mple.com",
        "a b@example.com",
        "a@example.com.",
        "a@@example.com",
        "\"quoted\"@example.com",
        "a@[127.0.0.1]",
        "ä@example.com",
        "a@example.123"
      })
  void refusesBadEmail(String raw) {
    assertInvalid(() -> Identifier.email(raw, "identifier"));
  }

  @org.junit.jupiter.api.Test
  void refusesOverlongEmail() {
    String local = "a".repeat(64);
    String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(57) + ".com";
    assertThat(Identifier.email(local + "@" + domain, "f").value()).hasSize(254);
    assertInvalid(() -> Identifier.email(local + "@x" + domain, "f"));
    assertInvalid(() -> Identifier.email("a".repeat(65) + "@example.com", "f"));
  }

  @ParameterizedTest
  @CsvSource({
    "+4915112345678, +4915112345678",
    "' +49 151 1234-5678 ', +4915112345678",
    "+1 (415) 555.0100, +14155550100",
    "+12345678, +12345678",
    "+123456789012345, +123456789012345",
  })
  void normalizesPhone(String raw, String normalized) {
    Identifier id = Identifier.phone(raw, "identifier");
    assertThat(id.kind()).isEqualTo(Identifier.Kind.PHONE);
    assertThat(id.value()).isEqualTo(normalized);
    assertThat(id.channel()).isEqualTo("sms");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "4915112345678",
        "+1234567",
        "+1234567890123456",
        "+0123456789",
        "+49 151 abc",
        "++4915112345678",
        "+49/15112345678"
      })
  void refusesBadPhone(String raw) {
    assertInvalid(() -> Identifier.phone(raw, "identifier"));
  }

  private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    ParleyException e = catchThrowableOfType(ParleyException.class, call);
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.INVALID_IDENTIFIER);
    assertThat(e.toError().getField()).isNotEmpty();
  }
}
