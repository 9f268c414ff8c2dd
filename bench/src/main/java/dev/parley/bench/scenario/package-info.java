@NullMarked
package dev.parley.bench.scenario;

import org.jspecify.annotations.NullMarked;
