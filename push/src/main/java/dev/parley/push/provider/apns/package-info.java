@NullMarked
package dev.parley.push.provider.apns;

import org.jspecify.annotations.NullMarked;
