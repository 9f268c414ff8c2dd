/** get_presence: what a viewer may know of other users' presence (design.md 13.2). */
@NullMarked
package dev.parley.msg.presence;

import org.jspecify.annotations.NullMarked;
