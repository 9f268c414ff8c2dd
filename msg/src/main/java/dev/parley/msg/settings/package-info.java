/**
 * Notification settings: the per-user state of each conversation (mute, preview exception) and the
 * user's global settings, stored next to the conversations and the feed (design.md 12.1).
 */
@NullMarked
package dev.parley.msg.settings;

import org.jspecify.annotations.NullMarked;
