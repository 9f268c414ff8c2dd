/**
 * The push workers (design 12.2): which events notify whom, what the notification says, coalescing
 * per (session, conversation), and sending through the providers with retries, time to live and
 * removal of targets a provider refused.
 */
@NullMarked
package dev.parley.push.notify;

import org.jspecify.annotations.NullMarked;
