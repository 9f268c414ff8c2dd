@NullMarked
package dev.parley.gateway.ws;

import org.jspecify.annotations.NullMarked;
