@NullMarked
package dev.parley.msg.crypto;

import org.jspecify.annotations.NullMarked;
