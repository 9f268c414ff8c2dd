/** What the container image adds to the server: its health check command. */
@NullMarked
package dev.parley.image;

import org.jspecify.annotations.NullMarked;
