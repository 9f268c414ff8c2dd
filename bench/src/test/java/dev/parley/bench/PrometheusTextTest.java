package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.report.PrometheusText;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String TEXT =
      """
      # HELP jvm_memory_used_bytes The amount of used memory
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space",role="single"} 1.048576E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen",role="single"} 2097152.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace",role="single"} 5.0E7
      jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 3
      jvm_gc_pause_seconds_max{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.012
      jvm_gc_pause_seconds_max{action="end of major GC",cause="x, \\"quoted\\"",gc="G1 Old"} 0.2
      process_cpu_usage{role="single"} 0.25
      process_uptime_seconds 12.5 1700000000000
      """;

  @Test
  void sumsAndMaxesWithLabelFilters() {
    PrometheusText p = PrometheusText.parse(TEXT);
    assertThat(p.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area"))))
        .isEqualTo(12582912.0);
    assertThat(p.sum("jvm_gc_pause_seconds_count")).isEqualTo(3.0);
    assertThat(p.max("jvm_gc_pause_seconds_max")).isEqualTo(0.2);
    assertThat(p.sum("process_cpu_usage")).isEqualTo(0.25);
    assertThat(p.sum("process_uptime_seconds")).isEqualTo(12.5);
    assertThat(p.sum("process_resident_memory_bytes")).isNull();
  }
}
