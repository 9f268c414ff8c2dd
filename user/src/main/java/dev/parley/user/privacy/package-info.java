/** Privacy settings: their table, rules and changes (design.md 13.2). */
@NullMarked
package dev.parley.user.privacy;

import org.jspecify.annotations.NullMarked;
