package dev.parley.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromqlMetricNamesTest {
  @Test
  void findsMetricsNotFunctionsLabelsRangesOrKeywords() {
    assertThat(
            PromqlMetricNames.of(
                "histogram_quantile(0.99, sum by (le, instance) (rate(parley_gateway_request_latency_seconds_bucket{op=\"send_message\",le=~\"0.5|1\"}[$__rate_interval])))"))
        .containsExactly("parley_gateway_request_latency_seconds_bucket");
  }

  @Test
  void findsBothSidesOfBinaryOperatorsAndRecordedNames() {
    assertThat(
            PromqlMetricNames.of(
                "max by (instance, pool) (hikaricp_connections_pending) > 0\n"
                    + "  and on (instance) hikaricp_connections_active / hikaricp_connections_max >= 1"
                    + " or parley:send_errors:ratio_rate5m > 14.4 * 0.001 unless up{job=~\"parley-.*\"} == 0"))
        .containsExactly(
            "hikaricp_connections_active",
            "hikaricp_connections_max",
            "hikaricp_connections_pending",
            "parley:send_errors:ratio_rate5m",
            "up");
  }

  @Test
  void numbersWithExponentsAndDurationsAreNotNames() {
    assertThat(
            PromqlMetricNames.of(
                "predict_linear(node_filesystem_avail_bytes[6h], 24 * 3600) < 1e9"))
        .containsExactly("node_filesystem_avail_bytes");
  }
}
