@NullMarked
package dev.parley.msg.core.content;

import org.jspecify.annotations.NullMarked;
