package dev.parley.push.notify;

import dev.parley.proto.client.ApnsTarget;
import dev.parley.proto.internal.SessionPushTarget;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushProvider;
import dev.parley.push.provider.PushProvidersConfig;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.apns.ApnsPushProvider;
import dev.parley.push.provider.fcm.FcmPushProvider;
import dev.parley.push.provider.webpush.VapidKeyFile;
import dev.parley.push.provider.webpush.WebPushProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The providers this node sends through, one per platform; a platform whose provider is not enabled
 * has none, and its targets are skipped (and counted as {@code unconfigured}).
 */
public final class PushProviders implements AutoCloseable {
  private final @Nullable PushProvider<PushTarget.Fcm> fcm;
  private final @Nullable PushProvider<PushTarget.Apns> apns;
  private final @Nullable PushProvider<PushTarget.WebPush> webPush;

  public PushProviders(
      @Nullable PushProvider<PushTarget.Fcm> fcm,
      @Nullable PushProvider<PushTarget.Apns> apns,
      @Nullable PushProvider<PushTarget.WebPush> webPush) {
    this.fcm = fcm;
    this.apns = apns;
    this.webPush = webPush;
  }

  /**
   * The enabled providers of the configuration.
   *
   * @param keysDir where development VAPID keys are kept
   */
  public static PushProviders create(
      PushProvidersConfig config,
      Path keysDir,
      boolean production,
      MeterRegistry registry,
      Clock clock) {
    PushProvider<PushTarget.Fcm> fcm = null;
    PushProvider<PushTarget.Apns> apns = null;
    PushProvider<PushTarget.WebPush> webPush = null;
    try {
      if (config.fcm().enabled()) fcm = FcmPushProvider.create(config.fcm(), registry, clock);
      if (config.apns().enabled()) apns = ApnsPushProvider.create(config.apns(), registry, clock);
      if (config.webPush().enabled()) {
        webPush =
            new WebPushProvider(
                config.webPush(),
                VapidKeyFile.resolve(config.webPush(), keysDir, production),
                registry,
                clock);
      }
      return new PushProviders(fcm, apns, webPush);
    } catch (IOException | RuntimeException e) {
      new PushProviders(fcm, apns, webPush).close();
      if (e instanceof IOException io) throw new UncheckedIOException(io);
      throw (RuntimeException) e;
    }
  }

  /** A target as the providers know it, from the user service's record of it. */
  static @Nullable PushTarget target(SessionPushTarget t) {
    var target = t.getTarget();
    return switch (target.getServiceCase()) {
      case FCM -> new PushTarget.Fcm(target.getFcm().getToken());
      case APNS ->
          new PushTarget.Apns(
              target.getApns().getDeviceToken(),
              target.getApns().getEnvironment() == ApnsTarget.Environment.ENVIRONMENT_PRODUCTION
                  ? PushTarget.Apns.Environment.PRODUCTION
                  : PushTarget.Apns.Environment.SANDBOX,
              target.getApns().getTopic());
      case WEB_PUSH ->
          new PushTarget.WebPush(
              target.getWebPush().getEndpoint(),
              target.getWebPush().getP256Dh(),
              target.getWebPush().getAuth());
      case SERVICE_NOT_SET -> null;
    };
  }

  /** The VAPID public key browsers subscribe with (base64url); null when Web Push is off. */
  public @Nullable String webPushKey() {
    return webPush instanceof WebPushProvider w ? w.applicationServerKey() : null;
  }

  /** The token or endpoint: what a compare-and-delete of a refused target compares. */
  static String address(PushTarget target) {
    return switch (target) {
      case PushTarget.Fcm f -> f.token();
      case PushTarget.Apns a -> a.deviceToken();
      case PushTarget.WebPush w -> w.endpoint();
    };
  }

  /** Sends through the target's provider; null when that provider is not configured. */
  @Nullable CompletableFuture<PushOutcome> send(PushTarget target, PushNotification n) {
    return switch (target) {
      case PushTarget.Fcm f -> fcm == null ? null : fcm.send(f, n);
      case PushTarget.Apns a -> apns == null ? null : apns.send(a, n);
      case PushTarget.WebPush w -> webPush == null ? null : webPush.send(w, n);
    };
  }

  @Override
  public void close() {
    if (fcm != null) fcm.close();
    if (apns != null) apns.close();
    if (webPush != null) webPush.close();
  }
}
