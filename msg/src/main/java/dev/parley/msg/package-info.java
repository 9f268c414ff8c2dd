@NullMarked
package dev.parley.msg;

import org.jspecify.annotations.NullMarked;
