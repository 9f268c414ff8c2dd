@NullMarked
package dev.parley.common.secret;

import org.jspecify.annotations.NullMarked;
