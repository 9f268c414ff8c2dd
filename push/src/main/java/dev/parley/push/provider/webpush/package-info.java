@NullMarked
package dev.parley.push.provider.webpush;

import org.jspecify.annotations.NullMarked;
