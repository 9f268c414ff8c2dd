package dev.parley.server;

/**
 * The {@code admin} section: where a process serves /healthz, /readyz and /metrics.
 *
 * @param host the address to bind; 127.0.0.1 keeps metrics off the network (Kubernetes probes and a
 *     Prometheus in another pod need 0.0.0.0 or the pod's address)
 * @param port 0 = any free port (logged at start)
 */
public record AdminConfig(String host, int port) {}
