@NullMarked
package dev.parley.file.store;

import org.jspecify.annotations.NullMarked;
