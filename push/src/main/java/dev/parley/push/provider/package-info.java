/**
 * The push providers: one client per platform (FCM HTTP v1 for Android, APNs for iOS, Web Push for
 * browsers) behind {@link dev.parley.push.provider.PushProvider}. Each takes a provider-neutral
 * {@link dev.parley.push.provider.PushNotification} and a {@link
 * dev.parley.push.provider.PushTarget}, and answers with a {@link
 * dev.parley.push.provider.PushOutcome} that tells the caller what to do next: nothing, retry
 * later, or forget the target. Deciding who is notified, queueing and retrying belong to the push
 * role that calls them.
 */
@NullMarked
package dev.parley.push.provider;

import org.jspecify.annotations.NullMarked;
