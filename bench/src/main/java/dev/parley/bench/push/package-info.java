/**
 * A stand-in for Firebase Cloud Messaging on 127.0.0.1, so the push role's throughput and latency
 * can be measured without Google: the OAuth token endpoint and the HTTP v1 send endpoint, plus the
 * service-account key file that points the server at them.
 */
@NullMarked
package dev.parley.bench.push;

import org.jspecify.annotations.NullMarked;
