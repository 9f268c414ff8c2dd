package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.msg.MsgConfig;
import dev.parley.msg.MsgHarness;
import dev.parley.proto.client.SearchMessagesRequest;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The indexer gives way to sends (design.md 14.4, {@link GiveWayTest} for the timing) without ever
 * stopping: wired to the real log writer, under pressure that does not end a message still becomes
 * findable (small passes, each after a rest), and once the pressure ends the backlog is indexed.
 * The threshold here is a nanosecond, so that every send keeps the pressure high for a second.
 */
class IndexerGivesWayIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @Test
  void underPressureThatDoesNotEndMessagesStillBecomeFindable_andTheBacklogAfterItEnds()
      throws Exception {
    try (MsgHarness msg = new MsgHarness(postgres, IndexerGivesWayIT::yieldingOnAnyWait)) {
      long alice = msg.newUser();
      long bob = msg.newUser();
      long carol = msg.newUser();
      AtomicBoolean pressing = new AtomicBoolean(true);
      AtomicInteger pressed = new AtomicInteger();
      // Five sends a second: a pass under pressure (100 entries) covers both conversations.
      Thread presser =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (pressing.get()) {
                      int n = pressed.incrementAndGet();
                      msg.messages(carol)
                          .sendMessage(text(alice, "press-" + n, "busy k" + n + "z"));
                      sleep(Duration.ofMillis(200));
                    }
                  });
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> pressed.get() > 3);
        msg.messages(alice).sendMessage(text(bob, "needle", "walrus under pressure"));
        await()
            .atMost(Duration.ofSeconds(40))
            .until(() -> hits(msg, bob, "walrus") == 1 && pressing.get());
        assertThat(yieldedSeconds(msg)).isPositive();
      } finally {
        pressing.set(false);
        presser.join();
      }
      // The last of carol's sends, and so all before it in that chat, once the pressure ended.
      String last = "k" + pressed.get() + "z ";
      await().atMost(Duration.ofSeconds(30)).until(() -> hits(msg, alice, last) == 1);
    }
  }

  private static MsgConfig yieldingOnAnyWait(MsgConfig c) {
    MsgConfig.Search d = MsgConfig.Search.defaults();
    return MsgHarness.withSearch(
        c,
        new MsgConfig.Search(
            d.backend(),
            d.concurrency(),
            true,
            1,
            Duration.ofNanos(1),
            d.indexerYieldAtMost(),
            d.indexerGather(),
            d.opensearch()));
  }

  private static int hits(MsgHarness msg, long user, String query) {
    return msg.search(user)
        .searchMessages(SearchMessagesRequest.newBuilder().setQuery(query).build())
        .getHitsCount();
  }

  private static double yieldedSeconds(MsgHarness msg) {
    return msg.meters.get("parley_search_indexer_yielded_seconds_total").counter().count();
  }

  private static SendMessageRequest text(long to, String id, String text) {
    return SendMessageRequest.newBuilder()
        .setUserId(to)
        .setClientMsgId(id)
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
