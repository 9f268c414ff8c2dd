package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * promtool only runs the cases written; this checks that they are all written: every alert in
 * alerts.yml has a case where it fires and one where it stays silent, and its annotations name a
 * runbook heading that exists in docs/operations.md.
 */
class AlertTestCoverageTest {
  private final JsonNode rules = Yaml.read(DeployDir.resolve("prometheus/alerts.yml"));
  private final JsonNode tests = Yaml.read(DeployDir.resolve("prometheus/alerts_test.yml"));

  @Test
  void everyAlertHasAFiringAndASilentCase() {
    Set<String> alerts = alertNames();
    Set<String> firing = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode c : test.path("alert_rule_test")) {
        String name = c.path("alertname").asText();
        (c.path("exp_alerts").isEmpty() ? silent : firing).add(name);
      }
    }
    assertThat(firing).as("alerts with a firing case").containsAll(alerts);
    assertThat(silent).as("alerts with a silent case").containsAll(alerts);
  }

  @Test
  void everyAlertHasSummaryDescriptionAndARunbookInOperationsMd() throws Exception {
    String operations =
        java.nio.file.Files.readString(DeployDir.resolve("../docs/operations.md"))
            .toLowerCase(java.util.Locale.ROOT);
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (!rule.has("alert")) continue;
        JsonNode annotations = rule.path("annotations");
        String name = rule.path("alert").asText();
        assertThat(annotations.path("summary").asText()).as(name + " summary").isNotBlank();
        assertThat(annotations.path("description").asText()).as(name + " description").isNotBlank();
        String runbook = annotations.path("runbook_url").asText();
        assertThat(runbook).as(name + " runbook").startsWith("docs/operations.md#");
        String anchor = runbook.substring(runbook.indexOf('#') + 1);
        // GitHub's anchor of a heading "#### ParleySendsShed" is its lower-case text.
        assertThat(operations).as(name + "'s runbook heading").contains("#### " + anchor + "\n");
      }
    }
  }

  private Set<String> alertNames() {
    Set<String> names = new TreeSet<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) names.add(rule.path("alert").asText());
      }
    }
    return names;
  }
}
