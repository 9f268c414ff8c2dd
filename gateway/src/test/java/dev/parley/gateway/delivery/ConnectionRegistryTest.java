package dev.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.gateway.codec.Encoding;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The registry's per-session news: the first connection of a session opens it, the last closes it.
 */
class ConnectionRegistryTest {
  private record Conn(long userId, long sessionId, int n) implements Recipient {
    @Override
    public Encoding encoding() {
      return Encoding.JSON;
    }

    @Override
    public void deliver(@Nullable WebSocketFrame frame, boolean disconnect) {
      if (frame != null) frame.release();
    }
  }

  private final List<String> news = new ArrayList<>();
  private final ConnectionRegistry registry =
      new ConnectionRegistry(
          new ConnectionRegistry.SessionListener() {
            @Override
            public void sessionOpened(long userId, long sessionId) {
              news.add("opened " + userId + "/" + sessionId);
            }

            @Override
            public void sessionClosed(long userId, long sessionId) {
              news.add("closed " + userId + "/" + sessionId);
            }
          });

  private static List<String> pairs(List<long[]> sessions) {
    return sessions.stream().map(s -> s[0] + "/" + s[1]).sorted().toList();
  }

  @Test
  void tellsTheFirstAndLastConnectionOfEachSession() {
    Conn a = new Conn(1, 11, 1);
    Conn b = new Conn(1, 11, 2); // the same device again: a reconnect that overtook a's close
    Conn c = new Conn(1, 12, 3);
    registry.register(a);
    registry.register(b);
    registry.register(a); // twice: no effect
    registry.register(c);
    assertThat(news).containsExactly("opened 1/11", "opened 1/12");
    assertThat(pairs(registry.sessions())).containsExactly("1/11", "1/12");
    assertThat(registry.size()).isEqualTo(3);

    registry.unregister(a);
    assertThat(news).hasSize(2);
    registry.unregister(a); // already gone: no effect
    registry.unregister(b);
    registry.unregister(c);
    assertThat(news).containsExactly("opened 1/11", "opened 1/12", "closed 1/11", "closed 1/12");
    assertThat(registry.sessions()).isEmpty();
    assertThat(registry.size()).isZero();
  }

  @Test
  void newsAlternatesPerSessionUnderConcurrentChurn() throws Exception {
    Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> violations = new ConcurrentHashMap<>();
    ConnectionRegistry churned =
        new ConnectionRegistry(
            new ConnectionRegistry.SessionListener() {
              @Override
              public void sessionOpened(long userId, long sessionId) {
                int now =
                    open.computeIfAbsent(userId + "/" + sessionId, k -> new AtomicInteger())
                        .incrementAndGet();
                if (now != 1)
                  violations.computeIfAbsent("open", k -> new AtomicInteger()).incrementAndGet();
              }

              @Override
              public void sessionClosed(long userId, long sessionId) {
                int now = open.get(userId + "/" + sessionId).decrementAndGet();
                if (now != 0)
                  violations.computeIfAbsent("close", k -> new AtomicInteger()).incrementAndGet();
              }
            });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        tasks.add(
            () -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              for (int i = 0; i < 5_000; i++) {
                // Few users and sessions, so that threads collide on them.
                Conn c = new Conn(random.nextInt(3), random.nextInt(3), thread * 1_000_000 + i);
                churned.register(c);
                if (random.nextBoolean()) Thread.yield();
                churned.unregister(c);
              }
              return null;
            });
      }
      for (Future<Void> f : pool.invokeAll(tasks)) f.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(violations).isEmpty();
    assertThat(open.values()).allSatisfy(n -> assertThat(n.get()).isZero());
    assertThat(churned.sessions()).isEmpty();
    assertThat(churned.size()).isZero();
  }
}
