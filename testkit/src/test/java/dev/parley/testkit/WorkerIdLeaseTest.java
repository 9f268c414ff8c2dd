package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.id.WorkerIdLease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkerIdLeaseTest {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @Test
  void liveLeasesNeverShareAnIdAndAClosedOneIsFreeAgain() {
    var ds = postgres.database().dataSource();
    try (WorkerIdLease a = WorkerIdLease.acquire(ds);
        WorkerIdLease b = WorkerIdLease.acquire(ds)) {
      assertThat(a.workerId()).isNotEqualTo(b.workerId());
      int freed = a.workerId();
      a.close();
      try (WorkerIdLease c = WorkerIdLease.acquire(ds)) {
        assertThat(c.workerId()).isEqualTo(freed);
        assertThat(c.valid()).isTrue();
      }
    }
  }
}
