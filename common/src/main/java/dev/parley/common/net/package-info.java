/** Network helpers shared by the services: which addresses the server may be pointed at. */
@NullMarked
package dev.parley.common.net;

import org.jspecify.annotations.NullMarked;
