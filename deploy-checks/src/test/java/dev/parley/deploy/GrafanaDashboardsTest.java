package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards load in Grafana as provisioned: valid JSON, unique uids, every query on the data
 * source uid the provisioning file defines, no panel without a query. (No Grafana here to load
 * them; that they name only real metrics is DeployedMetricsIT's check in the server module.)
 */
class GrafanaDashboardsTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void dashboardsUseTheProvisionedDataSourceAndEveryPanelHasQueries() throws IOException {
    Set<String> dataSources = new HashSet<>();
    for (JsonNode ds :
        Yaml.read(DeployDir.resolve("grafana/provisioning/datasources/parley.yaml"))
            .path("datasources")) {
      dataSources.add(ds.path("uid").asText());
    }
    Set<String> uids = new HashSet<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(DeployDir.resolve("grafana/dashboards"))) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSize(6);
    for (Path file : files) {
      JsonNode dashboard = json.readTree(file.toFile());
      assertThat(uids.add(dashboard.path("uid").asText())).as(file + " uid unique").isTrue();
      assertThat(dashboard.path("title").asText()).as(file + " title").isNotBlank();
      for (JsonNode panel : dashboard.path("panels")) {
        if (panel.path("type").asText().equals("row")) continue;
        String title = file.getFileName() + " / " + panel.path("title").asText();
        assertThat(panel.path("targets").size()).as(title + " queries").isPositive();
        assertThat(dataSources)
            .as(title + " data source")
            .contains(panel.at("/datasource/uid").asText());
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("expr").asText()).as(title + " expr").isNotBlank();
        }
      }
    }
  }
}
