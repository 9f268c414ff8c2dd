@NullMarked
package dev.parley.user.session;

import org.jspecify.annotations.NullMarked;
