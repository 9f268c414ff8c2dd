@NullMarked
package dev.parley.file.media;

import org.jspecify.annotations.NullMarked;
