@NullMarked
package dev.parley.msg.core;

import org.jspecify.annotations.NullMarked;
