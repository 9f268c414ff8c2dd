@NullMarked
package dev.parley.common.ratelimit;

import org.jspecify.annotations.NullMarked;
