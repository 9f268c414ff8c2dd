package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The msg.search settings are checked at start, with a message naming the key. */
class MsgConfigSearchTest {
  private static final MsgConfig.OpenSearch OS = MsgConfig.Search.defaults().opensearch();
  private static final Duration GATHER = MsgConfig.Search.DEFAULT_INDEXER_GATHER;

  private static MsgConfig.Search search(int threads, Duration yieldAbove, Duration gather) {
    return new MsgConfig.Search("postgres", true, threads, yieldAbove, gather, OS);
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
  void givingWayIsOffByDefault() {
    assertThat(MsgConfig.Search.defaults().indexerYieldAbove()).isZero();
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
}
