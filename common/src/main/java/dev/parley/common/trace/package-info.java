/** OpenTelemetry spans for a message's path, exported over OTLP when configured. */
@NullMarked
package dev.parley.common.trace;

import org.jspecify.annotations.NullMarked;
