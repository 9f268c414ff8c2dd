@NullMarked
package dev.parley.gateway.routing;

import org.jspecify.annotations.NullMarked;
