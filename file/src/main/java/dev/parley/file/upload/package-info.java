@NullMarked
package dev.parley.file.upload;

import org.jspecify.annotations.NullMarked;
