@NullMarked
package dev.parley.user.account;

import org.jspecify.annotations.NullMarked;
