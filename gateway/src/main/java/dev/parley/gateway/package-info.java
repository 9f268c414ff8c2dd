@NullMarked
package dev.parley.gateway;

import org.jspecify.annotations.NullMarked;
