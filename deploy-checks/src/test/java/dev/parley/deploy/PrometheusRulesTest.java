package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus with Prometheus's own checker: the rule file parses and its PromQL compiles,
 * every alert's unit test in alerts_test.yml passes (each alert fires on bad input and stays silent
 * on good input), and the Compose stack's scrape configuration is valid.
 */
class PrometheusRulesTest {
  private final Path dir = DeployDir.resolve("prometheus");

  @Test
  void ruleFileIsValid() throws Exception {
    ExternalTool.Result result = ExternalTool.PROMTOOL.run(dir, "check", "rules", "alerts.yml");
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void everyAlertFiresAndStaysSilentAsItsUnitTestsSay() throws Exception {
    ExternalTool.Result result = ExternalTool.PROMTOOL.run(dir, "test", "rules", "alerts_test.yml");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void composeScrapeConfigurationIsValid() throws Exception {
    // --syntax-only: the rule file it names is mounted at another path inside the container.
    ExternalTool.Result result =
        ExternalTool.PROMTOOL.run(dir, "check", "config", "--syntax-only", "prometheus.yml");
    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
