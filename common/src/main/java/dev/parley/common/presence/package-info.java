@NullMarked
package dev.parley.common.presence;

import org.jspecify.annotations.NullMarked;
