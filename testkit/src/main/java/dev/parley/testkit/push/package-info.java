/**
 * Local servers that speak the push providers' protocols, for tests of the push clients and of the
 * whole pipeline: a small HTTP server, and FCM's OAuth token endpoint and v1 send endpoint.
 */
@NullMarked
package dev.parley.testkit.push;

import org.jspecify.annotations.NullMarked;
