package dev.parley.user.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushTargetRulesTest {
  static final String ENDPOINT = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b";

  static final String AUTH = TestSubscriptionKeys.AUTH;

  private static String field(Runnable call) {
    ParleyException e = catchThrowableOfType(ParleyException.class, call::run);
    assertThat(e).as("expected a refusal").isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
    return e.toError().getField();
  }

  @Test
  void fcmTokensOfTheRealShapeAreAcceptedAndOthersRefused() {
    String token = "dGVzdA:APA91bH-x_y.z" + "a".repeat(140);
    assertThat(PushTargetRules.fcm(token, "t").token()).isEqualTo(token);
    assertThat(field(() -> PushTargetRules.fcm("", "t"))).isEqualTo("t");
    assertThat(field(() -> PushTargetRules.fcm("with space", "t"))).isEqualTo("t");
    assertThat(field(() -> PushTargetRules.fcm("a".repeat(1025), "t"))).isEqualTo("t");
  }

  @Test
  void apnsTokensAreHexOfAPlausibleLengthAndLowercased() {
    String token = "AB".repeat(32);
    PushTarget.Apns apns = PushTargetRules.apns(token, "sandbox", "com.example.parley", "t");
    assertThat(apns.deviceToken()).isEqualTo("ab".repeat(32));
    assertThat(field(() -> PushTargetRules.apns("zz".repeat(32), "sandbox", "com.a.b", "t")))
        .isEqualTo("t.device_token");
    assertThat(field(() -> PushTargetRules.apns("abc", "sandbox", "com.a.b", "t")))
        .isEqualTo("t.device_token");
    assertThat(field(() -> PushTargetRules.apns("ab".repeat(101), "sandbox", "com.a.b", "t")))
        .isEqualTo("t.device_token");
    assertThat(field(() -> PushTargetRules.apns(token, "", "com.a.b", "t")))
        .isEqualTo("t.environment");
    assertThat(field(() -> PushTargetRules.apns(token, "production", "parley", "t")))
        .isEqualTo("t.topic");
    assertThat(field(() -> PushTargetRules.apns(token, "production", "com.a b.c", "t")))
        .isEqualTo("t.topic");
  }

  @Test
  void webPushEndpointsOnNonPublicAddressesAreRefusedUnlessAllowed() {
    String key = TestSubscriptionKeys.p256dh();
    for (String endpoint :
        List.of(
            "https://127.0.0.1/push",
            "https://127.0.0.1:8443/push",
            "https://[::1]/push",
            "https://[::ffff:10.0.0.1]/push",
            "https://10.1.2.3/push",
            "https://172.20.0.5/push",
            "https://192.168.0.10/push",
            "https://169.254.169.254/latest/meta-data",
            "https://[fd00::1]/push",
            "https://[fe80::1]/push",
            "https://0.0.0.0/push",
            "https://224.0.0.1/push",
            "https://localhost/push",
            "https://push.localhost./push")) {
      ParleyException e =
          catchThrowableOfType(
              ParleyException.class,
              () -> PushTargetRules.webPush(endpoint, key, AUTH, "t", false));
      assertThat(e).as(endpoint).isNotNull();
      assertThat(e.toError().getField()).isEqualTo("t.endpoint");
      assertThat(e.getMessage()).contains("public address");
      assertThat(PushTargetRules.webPush(endpoint, key, AUTH, "t", true).endpoint())
          .isEqualTo(endpoint);
    }
    // Public literals and names pass (a name is checked again, resolved, at each send).
    assertThat(PushTargetRules.webPush("https://8.8.8.8/x", key, AUTH, "t", false).endpoint())
        .isEqualTo("https://8.8.8.8/x");
  }

  @Test
  void webPushNeedsAnHttpsEndpointAPointOnTheCurveAndA16ByteSecret() {
    String key = TestSubscriptionKeys.p256dh();
    assertThat(PushTargetRules.webPush(ENDPOINT, key, AUTH, "t", false).endpoint())
        .isEqualTo(ENDPOINT);
    assertThat(PushTargetRules.webPush(ENDPOINT, key + "=", AUTH + "==", "t", false).auth())
        .isEqualTo(AUTH + "==");

    assertThat(field(() -> PushTargetRules.webPush("http://push.example/x", key, AUTH, "t", false)))
        .isEqualTo("t.endpoint");
    assertThat(field(() -> PushTargetRules.webPush("https:///nohost", key, AUTH, "t", false)))
        .isEqualTo("t.endpoint");
    assertThat(
            field(
                () -> PushTargetRules.webPush("https://u:p@push.example/x", key, AUTH, "t", false)))
        .isEqualTo("t.endpoint");
    assertThat(
            field(() -> PushTargetRules.webPush("https://push.example/x#f", key, AUTH, "t", false)))
        .isEqualTo("t.endpoint");
    assertThat(field(() -> PushTargetRules.webPush("https://push example/", key, AUTH, "t", false)))
        .isEqualTo("t.endpoint");
    String longEndpoint = "https://push.example/" + "a".repeat(2048);
    assertThat(field(() -> PushTargetRules.webPush(longEndpoint, key, AUTH, "t", false)))
        .isEqualTo("t.endpoint");

    byte[] point = Base64.getUrlDecoder().decode(key);
    point[64] ^= 1; // still 65 bytes, no longer on the curve
    String offCurve = Base64.getUrlEncoder().withoutPadding().encodeToString(point);
    assertThat(field(() -> PushTargetRules.webPush(ENDPOINT, offCurve, AUTH, "t", false)))
        .isEqualTo("t.p256dh");
    point[64] ^= 1;
    point[0] = 2; // the compressed-point prefix
    String compressed = Base64.getUrlEncoder().withoutPadding().encodeToString(point);
    assertThat(field(() -> PushTargetRules.webPush(ENDPOINT, compressed, AUTH, "t", false)))
        .isEqualTo("t.p256dh");
    assertThat(field(() -> PushTargetRules.webPush(ENDPOINT, key.substring(4), AUTH, "t", false)))
        .isEqualTo("t.p256dh");
    assertThat(field(() -> PushTargetRules.webPush(ENDPOINT, "not+base64/url", AUTH, "t", false)))
        .isEqualTo("t.p256dh");
    String shortAuth = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[15]);
    assertThat(field(() -> PushTargetRules.webPush(ENDPOINT, key, shortAuth, "t", false)))
        .isEqualTo("t.auth");
  }
}
