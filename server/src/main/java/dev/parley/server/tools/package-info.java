@NullMarked
package dev.parley.server.tools;

import org.jspecify.annotations.NullMarked;
