@NullMarked
package dev.parley.gateway.codec;

import org.jspecify.annotations.NullMarked;
