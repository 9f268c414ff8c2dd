@NullMarked
package dev.parley.gateway.presence;

import org.jspecify.annotations.NullMarked;
