package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The msg.search settings are checked at start, with a message naming the key. */
class MsgConfigSearchTest {
  private static final MsgConfig.OpenSearch OS = MsgConfig.Search.defaults().opensearch();

  @Test
  void aNegativeYieldThresholdIsRefused() {
    assertThatThrownBy(() -> new MsgConfig.Search("postgres", true, 1, Duration.ofMillis(-1), OS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.indexer-yield-above");
  }

  @Test
  void fewerThanOneIndexerThreadIsRefused() {
    assertThatThrownBy(() -> new MsgConfig.Search("postgres", true, 0, Duration.ZERO, OS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.search.indexer-threads");
  }

  @Test
  void givingWayIsOffByDefault() {
    assertThat(MsgConfig.Search.defaults().indexerYieldAbove()).isZero();
  }
}
