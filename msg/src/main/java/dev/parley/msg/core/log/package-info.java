@NullMarked
package dev.parley.msg.core.log;

import org.jspecify.annotations.NullMarked;
