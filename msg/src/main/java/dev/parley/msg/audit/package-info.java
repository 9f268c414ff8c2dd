/**
 * The sync audit (EXT-8): read-only checks of a user's feed, device cursors and conversations for
 * the faults that would make a device miss or mis-count something, and the per-device backlog
 * metrics (design.md 8.13).
 */
@NullMarked
package dev.parley.msg.audit;

import org.jspecify.annotations.NullMarked;
