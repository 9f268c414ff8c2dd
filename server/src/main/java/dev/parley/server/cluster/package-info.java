@NullMarked
package dev.parley.server.cluster;

import org.jspecify.annotations.NullMarked;
