@NullMarked
package dev.parley.file.grpc;

import org.jspecify.annotations.NullMarked;
