@NullMarked
package dev.parley.file;

import org.jspecify.annotations.NullMarked;
