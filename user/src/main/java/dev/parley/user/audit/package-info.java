@NullMarked
package dev.parley.user.audit;

import org.jspecify.annotations.NullMarked;
