@NullMarked
package dev.parley.user.auth;

import org.jspecify.annotations.NullMarked;
