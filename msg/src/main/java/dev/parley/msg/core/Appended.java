package dev.parley.msg.core;

import dev.parley.msg.store.Entry;

/**
 * An entry appended to a conversation log, and where it went: recipients[i] got it at feed position
 * pts[i]. Produced inside the transaction, published after the commit.
 */
public record Appended(Entry entry, long[] recipients, long[] pts) {}
