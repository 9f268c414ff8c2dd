@NullMarked
package dev.parley.bench.account;

import org.jspecify.annotations.NullMarked;
