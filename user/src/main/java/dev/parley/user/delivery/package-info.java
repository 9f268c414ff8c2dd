@NullMarked
package dev.parley.user.delivery;

import org.jspecify.annotations.NullMarked;
