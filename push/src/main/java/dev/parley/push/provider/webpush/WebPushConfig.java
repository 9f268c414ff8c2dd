package dev.parley.push.provider.webpush;

import java.time.Duration;

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), for
 * browsers.
 *
 * @param enabled whether the push role sends to Web Push subscriptions
 * @param subject how push services can reach the operator: {@code mailto:ops@example.com} or an
 *     {@code https:} URL (the VAPID {@code sub} claim)
 * @param publicKey the VAPID public key, base64url of the uncompressed P-256 point (65 bytes); it
 *     is the {@code applicationServerKey} browsers subscribe with. Empty (with {@code privateKey}):
 *     generated into {@code <data-dir>/keys/vapid.keys} at first start, development only
 * @param privateKey the VAPID private key, base64url of the 32-byte scalar; a secret
 * @param allowHttpEndpoints accept {@code http:} subscription endpoints (local test servers only:
 *     real push services are all https, and an http endpoint can only be someone pointing the
 *     server at an internal address)
 * @param allowPrivateEndpoints send to endpoints whose host is or resolves to a loopback, private
 *     or other non-public address (local test servers only: in production such an endpoint is a
 *     client pointing the server at its own network, and the notification is refused). The user
 *     service reads the same switch when a subscription is registered.
 * @param trustedCertificatesFile PEM certificates to trust instead of the JDK's (a local test push
 *     service); empty: the JDK's trust store
 * @param timeout for one HTTP request (connect included)
 * @param maxInFlight notifications sent at once
 * @param maxWaiting notifications waiting for a slot before new ones are refused as overloaded
 */
public record WebPushConfig(
    boolean enabled,
    String subject,
    String publicKey,
    String privateKey,
    boolean allowHttpEndpoints,
    boolean allowPrivateEndpoints,
    String trustedCertificatesFile,
    Duration timeout,
    int maxInFlight,
    int maxWaiting) {}
