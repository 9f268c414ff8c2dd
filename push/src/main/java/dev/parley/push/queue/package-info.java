/**
 * The queue between the dispatcher's hand-off and the push workers (design 12.2): durable in a
 * cluster (Kafka, offsets held behind unfinished jobs), bounded and in memory in a single node.
 */
@NullMarked
package dev.parley.push.queue;

import org.jspecify.annotations.NullMarked;
