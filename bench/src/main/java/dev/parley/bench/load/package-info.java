@NullMarked
package dev.parley.bench.load;

import org.jspecify.annotations.NullMarked;
