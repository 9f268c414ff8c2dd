@NullMarked
package dev.parley.msg.store;

import org.jspecify.annotations.NullMarked;
