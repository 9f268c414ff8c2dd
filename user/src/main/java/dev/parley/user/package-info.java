@NullMarked
package dev.parley.user;

import org.jspecify.annotations.NullMarked;
