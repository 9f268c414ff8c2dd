@NullMarked
package dev.parley.msg.recent;

import org.jspecify.annotations.NullMarked;
