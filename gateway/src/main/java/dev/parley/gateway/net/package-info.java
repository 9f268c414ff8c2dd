@NullMarked
package dev.parley.gateway.net;

import org.jspecify.annotations.NullMarked;
