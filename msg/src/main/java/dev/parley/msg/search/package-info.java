/** Message search (design.md 14): tokens, the keyed index, the indexer and the query. */
@NullMarked
package dev.parley.msg.search;

import org.jspecify.annotations.NullMarked;
