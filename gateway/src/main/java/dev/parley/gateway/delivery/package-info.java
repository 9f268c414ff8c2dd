@NullMarked
package dev.parley.gateway.delivery;

import org.jspecify.annotations.NullMarked;
