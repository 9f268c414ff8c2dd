@NullMarked
package dev.parley.common.bus;

import org.jspecify.annotations.NullMarked;
