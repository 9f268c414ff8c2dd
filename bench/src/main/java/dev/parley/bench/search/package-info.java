/** The search scenario's parts: its data (who writes what), its loader, queries and probes. */
@NullMarked
package dev.parley.bench.search;

import org.jspecify.annotations.NullMarked;
