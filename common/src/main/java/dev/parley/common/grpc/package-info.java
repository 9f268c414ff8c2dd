@NullMarked
package dev.parley.common.grpc;

import org.jspecify.annotations.NullMarked;
