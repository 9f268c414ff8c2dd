@NullMarked
package dev.parley.common.db;

import org.jspecify.annotations.NullMarked;
