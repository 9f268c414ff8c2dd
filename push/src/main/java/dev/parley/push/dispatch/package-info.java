@NullMarked
package dev.parley.push.dispatch;

import org.jspecify.annotations.NullMarked;
