@NullMarked
package dev.parley.push.provider.fcm;

import org.jspecify.annotations.NullMarked;
