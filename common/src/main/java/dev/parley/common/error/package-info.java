@NullMarked
package dev.parley.common.error;

import org.jspecify.annotations.NullMarked;
