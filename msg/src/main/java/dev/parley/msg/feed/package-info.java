@NullMarked
package dev.parley.msg.feed;

import org.jspecify.annotations.NullMarked;
