@NullMarked
package dev.parley.msg.grpc;

import org.jspecify.annotations.NullMarked;
