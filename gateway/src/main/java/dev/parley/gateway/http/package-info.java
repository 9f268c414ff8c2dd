@NullMarked
package dev.parley.gateway.http;

import org.jspecify.annotations.NullMarked;
