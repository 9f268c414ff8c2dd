package dev.parley.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseConfigTest {
  @Test
  void maxWalSizeBelowTwoSegmentsIsRefusedWithItsKeyNamed() {
    assertThatThrownBy(() -> new DatabaseConfig.Embedded("postgres", 0, true, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database.embedded.max-wal-size-mb")
        .hasMessageContaining("16");
  }

  @Test
  void theSmallestAcceptedMaxWalSizeIsTwoSegments() {
    assertThat(new DatabaseConfig.Embedded("postgres", 0, true, 32).maxWalSizeMb()).isEqualTo(32);
  }
}
