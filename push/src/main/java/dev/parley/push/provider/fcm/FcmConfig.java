package dev.parley.push.provider.fcm;

import java.time.Duration;

/**
 * Firebase Cloud Messaging (HTTP v1 API), for Android devices.
 *
 * @param enabled whether the push role sends to FCM targets
 * @param credentialsFile the Firebase project's service-account key (JSON, from the Firebase
 *     console); its {@code token_uri} is where access tokens come from
 * @param projectId the Firebase project id; empty: the {@code project_id} of the credentials file
 * @param baseUrl where the v1 API is ({@code https://fcm.googleapis.com}; a local server in tests)
 * @param timeout for one HTTP request (connect included)
 * @param maxInFlight notifications sent at once
 * @param maxWaiting notifications waiting for a slot before new ones are refused as overloaded
 */
public record FcmConfig(
    boolean enabled,
    String credentialsFile,
    String projectId,
    String baseUrl,
    Duration timeout,
    int maxInFlight,
    int maxWaiting) {}
