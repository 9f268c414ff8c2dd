/**
 * Privacy settings as both services see them (design.md 13.2): the user service stores them, the
 * message service applies them where the friendships are (forwards, presence).
 */
@NullMarked
package dev.parley.common.privacy;

import org.jspecify.annotations.NullMarked;
