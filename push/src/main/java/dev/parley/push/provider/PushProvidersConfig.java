package dev.parley.push.provider;

import dev.parley.push.provider.apns.ApnsConfig;
import dev.parley.push.provider.fcm.FcmConfig;
import dev.parley.push.provider.webpush.WebPushConfig;

/**
 * The push providers' credentials and endpoints: the configuration section {@code push.providers}
 * (docs/operations.md, "Push providers"). Secrets are files or environment variables, never in the
 * repository.
 */
public record PushProvidersConfig(FcmConfig fcm, ApnsConfig apns, WebPushConfig webPush) {}
