@NullMarked
package dev.parley.file.db;

import org.jspecify.annotations.NullMarked;
