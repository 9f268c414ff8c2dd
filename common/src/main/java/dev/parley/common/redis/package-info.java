@NullMarked
package dev.parley.common.redis;

import org.jspecify.annotations.NullMarked;
