/** Typing indicators (design.md 13.6): checked against membership and blocks, never stored. */
@NullMarked
package dev.parley.msg.typing;

import org.jspecify.annotations.NullMarked;
