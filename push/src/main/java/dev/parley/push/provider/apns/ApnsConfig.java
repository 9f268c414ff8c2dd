package dev.parley.push.provider.apns;

import java.time.Duration;

/**
 * Apple Push Notification service over HTTP/2 with token (.p8) authentication, for iOS devices.
 *
 * @param enabled whether the push role sends to APNs targets
 * @param signingKeyFile the APNs authentication key ({@code AuthKey_<key id>.p8}, PKCS#8 PEM)
 * @param keyId the key's 10-character id (Apple Developer account, Keys)
 * @param teamId the 10-character team id of the account
 * @param productionHost where production tokens go ({@code api.push.apple.com})
 * @param productionPort 443 (or Apple's alternative, 2197)
 * @param sandboxHost where development-build tokens go ({@code api.sandbox.push.apple.com})
 * @param sandboxPort 443 (or 2197)
 * @param trustedCertificatesFile PEM certificates to trust instead of the JDK's (a local test
 *     server, a TLS-inspecting proxy); empty: the JDK's trust store
 * @param connections HTTP/2 connections per environment (each carries many streams at once)
 * @param timeout for one notification's answer (and for connecting)
 * @param maxInFlight notifications sent at once
 * @param maxWaiting notifications waiting for a slot before new ones are refused as overloaded
 */
public record ApnsConfig(
    boolean enabled,
    String signingKeyFile,
    String keyId,
    String teamId,
    String productionHost,
    int productionPort,
    String sandboxHost,
    int sandboxPort,
    String trustedCertificatesFile,
    int connections,
    Duration timeout,
    int maxInFlight,
    int maxWaiting) {}
