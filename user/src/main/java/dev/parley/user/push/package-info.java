@NullMarked
package dev.parley.user.push;

import org.jspecify.annotations.NullMarked;
