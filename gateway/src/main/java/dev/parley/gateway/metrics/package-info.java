@NullMarked
package dev.parley.gateway.metrics;

import org.jspecify.annotations.NullMarked;
