@NullMarked
package dev.parley.gateway.cluster;

import org.jspecify.annotations.NullMarked;
