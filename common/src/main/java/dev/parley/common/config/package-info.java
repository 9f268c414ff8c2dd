@NullMarked
package dev.parley.common.config;

import org.jspecify.annotations.NullMarked;
