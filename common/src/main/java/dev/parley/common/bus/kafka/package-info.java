@NullMarked
package dev.parley.common.bus.kafka;

import org.jspecify.annotations.NullMarked;
