package dev.parley.push.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.interaso.webpush.VapidKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VapidKeyFileTest {
  @TempDir Path keys;

  private static WebPushConfig config(String publicKey, String privateKey) {
    return new WebPushConfig(
        true,
        "mailto:ops@example.com",
        publicKey,
        privateKey,
        false,
        false,
        "",
        Duration.ofSeconds(5),
        1,
        1);
  }

  @Test
  void developmentKeysAreGeneratedOncePrivatelyAndReused() throws Exception {
    VapidKeys first = VapidKeyFile.resolve(config("", ""), keys, false);
    Path file = keys.resolve("vapid.keys");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("public-key=" + VapidKeyFile.publicKey(first));

    VapidKeys again = VapidKeyFile.resolve(config("", ""), keys, false);
    assertThat(again.getApplicationServerKey()).isEqualTo(first.getApplicationServerKey());
    assertThat(again.getPrivateKey().getS()).isEqualTo(first.getPrivateKey().getS());
  }

  @Test
  void configuredKeysWinAndRoundTripThroughTheirBase64UrlForm() {
    VapidKeys generated = VapidKeys.generate();
    String pub = VapidKeyFile.publicKey(generated);
    String priv = VapidKeyFile.privateKey(generated);
    assertThat(Base64Url.length(pub)).isEqualTo(65);
    assertThat(Base64Url.length(priv)).isEqualTo(32);

    VapidKeys configured = VapidKeyFile.resolve(config(pub, priv), keys, true);
    assertThat(configured.getApplicationServerKey()).isEqualTo(generated.getApplicationServerKey());
    assertThat(Files.exists(keys.resolve("vapid.keys"))).isFalse();
  }

  @Test
  void productionRefusesToGenerateKeys() {
    assertThatThrownBy(() -> VapidKeyFile.resolve(config("", ""), keys, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("public-key and private-key");
    assertThat(Files.exists(keys.resolve("vapid.keys"))).isFalse();
  }

  @Test
  void halfAKeyPairOrAMismatchedPairIsAnError() {
    VapidKeys a = VapidKeys.generate();
    VapidKeys b = VapidKeys.generate();
    assertThatThrownBy(
            () -> VapidKeyFile.resolve(config(VapidKeyFile.publicKey(a), ""), keys, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                VapidKeyFile.resolve(
                    config(VapidKeyFile.publicKey(a), VapidKeyFile.privateKey(b)), keys, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(VapidKeyFile.privateKey(b));
  }

  private static final class Base64Url {
    static int length(String s) {
      return java.util.Base64.getUrlDecoder().decode(s).length;
    }
  }
}
