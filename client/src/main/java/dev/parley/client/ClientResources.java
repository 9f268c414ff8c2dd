package dev.parley.client;

import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the connections of one {@link ParleyClient} share: the HTTP client (also the WebSocket
 * factory), the auth calls, the timer thread (it only fires timeouts, back-off delays and pings,
 * handing the work on) and an executor of virtual threads that runs everything else.
 */
record ClientResources(
    HttpClient http, AuthApi auth, ScheduledExecutorService timer, Executor workers) {}
