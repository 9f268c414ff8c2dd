package dev.parley.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a composition root started, closed in reverse order: a failure half-way through start-up
 * releases what was already running (the embedded database above all), and shutdown stops the edge
 * before the services and the services before the stores.
 */
public final class Resources implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Resources.class);
  private final Deque<AutoCloseable> stack = new ArrayDeque<>();

  public synchronized <T extends AutoCloseable> T push(T resource) {
    stack.push(resource);
    return resource;
  }

  @Override
  public synchronized void close() {
    while (!stack.isEmpty()) {
      AutoCloseable r = stack.pop();
      try {
        r.close();
      } catch (Exception e) {
        log.warn("Error while stopping {}", r, e);
      }
    }
  }
}
