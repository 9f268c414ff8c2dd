/** The OpenSearch search backend (design.md 14.6): the index, its documents and its queries. */
@NullMarked
package dev.parley.msg.search.opensearch;

import org.jspecify.annotations.NullMarked;
