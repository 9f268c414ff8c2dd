@NullMarked
package dev.parley.common.id;

import org.jspecify.annotations.NullMarked;
