package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.proto.client.Identifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class IdentifiersTest {
  @Test
  void plusMeansPhone() {
    Identifier id = Identifiers.parse("+4915112345678");
    assertThat(id.getKindCase()).isEqualTo(Identifier.KindCase.PHONE);
    assertThat(id.getPhone()).isEqualTo("+4915112345678");
  }

  @Test
  void phoneKeepsItsSeparatorsForTheServerToNormalise() {
    assertThat(Identifiers.parse("+49 151 1234-5678").getPhone()).isEqualTo("+49 151 1234-5678");
  }

  @Test
  void atMeansEmail() {
    Identifier id = Identifiers.parse("Alice@Example.com");
    assertThat(id.getKindCase()).isEqualTo(Identifier.KindCase.EMAIL);
    assertThat(id.getEmail()).isEqualTo("Alice@Example.com"); // the server lowercases
  }

  @Test
  void surroundingBlanksAreDropped() {
    assertThat(Identifiers.parse("  bob@example.org\n").getEmail()).isEqualTo("bob@example.org");
    assertThat(Identifiers.parse(" +123456789 ").getPhone()).isEqualTo("+123456789");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "bob", "4915112345678", "+", "@example.org", "bob@"})
  void neitherEmailNorPhoneIsRejected(String text) {
    assertThatThrownBy(() -> Identifiers.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void converterReportsAUsageError() {
    assertThatThrownBy(() -> new Identifiers.Converter().convert("bob"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining(
            "'bob' is neither an e-mail address nor a phone number starting with '+'");
  }

  @Test
  void displayShowsTheAddressOrNumber() {
    assertThat(Identifiers.display(Identifiers.parse("+123456789"))).isEqualTo("+123456789");
    assertThat(Identifiers.display(Identifiers.parse("a@b.c"))).isEqualTo("a@b.c");
  }
}
