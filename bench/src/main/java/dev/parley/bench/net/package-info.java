@NullMarked
package dev.parley.bench.net;

import org.jspecify.annotations.NullMarked;
