/**
 * The load generator ({@code bench}). Folders follow the path of a message: {@code net} (Netty
 * WebSockets), {@code account} (provisioning and tokens), {@code load} (the open-loop pacer,
 * devices that sync like real clients, the ledger that checks every message arrives exactly once),
 * {@code scenario} (S1-S5), {@code report} (histograms, server metrics, the JSON result). Start at
 * {@link dev.parley.bench.BenchCommand}; bench/README.md explains the numbers.
 */
@NullMarked
package dev.parley.bench;

import org.jspecify.annotations.NullMarked;
