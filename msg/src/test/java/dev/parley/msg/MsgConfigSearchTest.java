package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The msg.search settings are checked at start, with a message naming the key. */
class MsgConfigSearchTest {
  private static final MsgConfig.OpenSearch OS = MsgConfig.Search.defaults().opensearch();
  private static final Duration GATHER = MsgConfig.Search.DEFAULT_INDEXER_GATHER;
  private static final Duration AT_MOST = MsgConfig.Search.DEFAULT_INDEXER_YIELD_AT_MOST;

  private static MsgConfig.Search search(int threads, Duration yieldAbove, Duration gather) {
    return search(threads, yieldAbove, AT_MOST, gather);
  }

  private static MsgConfig.Search search(
      int threads, Duration yieldAbove, Duration atMost, Duration gather) {
    return new MsgConfig.Search("postgres", 0, true, threads, yieldAbove, atMost, gather, OS);
  }

  @Test
  void aNegativeYieldThresholdIsRefused() {
    assertThatThrownBy(() -> search(1, Duration.ofMillis(-1), GATHER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.indexer-yield-above");
  }

  @Test
  void fewerThanOneIndexerThreadIsRefused() {
    assertThatThrownBy(() -> search(0, Duration.ZERO, GATHER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.indexer-threads");
  }

  @Test
  void givingWayIsOnByDefault_forAMinuteAtMost() {
    assertThat(MsgConfig.Search.defaults().indexerYieldAbove()).isEqualTo(Duration.ofMillis(50));
    assertThat(MsgConfig.Search.defaults().indexerYieldAtMost()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aYieldLimitBelowASecondOrBeyondAnHourIsRefused() {
    Duration above = Duration.ofMillis(50);
    assertThatThrownBy(() -> search(1, above, Duration.ofMillis(999), GATHER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.indexer-yield-at-most");
    assertThatThrownBy(() -> search(1, above, Duration.ofMinutes(61), GATHER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.indexer-yield-at-most");
    assertThat(search(1, above, Duration.ofSeconds(1), GATHER).indexerYieldAtMost())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aGatherWindowBeyondHalfASecondOrBelowZeroIsRefused() {
    assertThatThrownBy(() -> search(1, Duration.ZERO, Duration.ofMillis(501)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.indexer-gather");
    assertThatThrownBy(() -> search(1, Duration.ZERO, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.indexer-gather");
    assertThat(search(1, Duration.ZERO, Duration.ZERO).indexerGather()).isZero();
  }

  @Test
  void searchesRunHalfTheCoresAtOnceByDefault_aNegativeNumberIsRefused() {
    int half = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    assertThat(MsgConfig.Search.defaults().runningSearches()).isEqualTo(half);
    MsgConfig.Search d = MsgConfig.Search.defaults();
    assertThat(
            new MsgConfig.Search("postgres", 3, true, 1, d.indexerYieldAbove(), AT_MOST, GATHER, OS)
                .runningSearches())
        .isEqualTo(3);
    assertThatThrownBy(
            () ->
                new MsgConfig.Search(
                    "postgres", -1, true, 1, d.indexerYieldAbove(), AT_MOST, GATHER, OS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.concurrency");
  }
}
