package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose/compose.yaml against the Compose specification's JSON schema (vendored in
 * deploy/compose/schema), and what the schema cannot see: references between services, host ports,
 * mounted files, the Parley processes' addresses and health checks, Prometheus's targets.
 */
class ComposeFileTest {
  private static final Path COMPOSE = DeployDir.resolve("compose/compose.yaml");
  private static final Set<String> PARLEY_ROLES = Set.of("gateway", "user", "msg", "push");

  /** host:port inside PARLEY_ values: JDBC URLs, redis://, static:///a:1,b:2, bootstrap lists. */
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:^|[/,@])([a-z][a-z0-9-]*):(\\d+)(?=$|[/,?])");

  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonNode compose = load();
  private final JsonNode services = compose.path("services");

  @Test
  void matchesTheComposeSpecification() throws IOException {
    Path file = DeployDir.resolve("compose/schema/compose-spec.json");
    JsonNode schemaJson = mapper.readTree(file.toFile());
    // It names its dialect with https://, which the validator would try to download: draft 7 it is.
    ((ObjectNode) schemaJson).remove("$schema");
    // Its $id is relative ("compose_spec.json"): resolved against the file's own location.
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(SchemaLocation.of(file.toUri().toString()), schemaJson);
    List<Error> errors = schema.validate(compose);
    assertThat(errors).as("Compose specification violations").isEmpty();
  }

  @Test
  void dependenciesAndHostPortsAreConsistent() {
    Set<String> names = serviceNames();
    Map<String, String> hostPorts = new HashMap<>();
    services
        .properties()
        .forEach(
            e -> {
              JsonNode dependsOn = e.getValue().path("depends_on");
              List<String> deps = new ArrayList<>();
              if (dependsOn.isArray()) dependsOn.forEach(d -> deps.add(d.asText()));
              else dependsOn.fieldNames().forEachRemaining(deps::add);
              assertThat(names).as(e.getKey() + " depends_on").containsAll(deps);
              for (JsonNode port : e.getValue().path("ports")) {
                String host = port.asText().split(":")[0];
                String other = hostPorts.put(host, e.getKey());
                assertThat(other).as("host port " + host + " of " + e.getKey()).isNull();
              }
              for (JsonNode volume : e.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                  assertThat(COMPOSE.getParent().resolve(source).normalize())
                      .as(e.getKey() + " mounts " + source)
                      .exists();
                }
              }
            });
  }

  @Test
  void everyParleyRoleRunsWithHealthCheckRestartAndJsonLogs_reachingServicesThatExist() {
    Set<String> names = serviceNames();
    Set<String> roles = new TreeSet<>();
    services
        .properties()
        .forEach(
            e -> {
              Map<String, String> env = environment(e.getValue());
              String role = env.get("PARLEY_NODE_ROLE");
              if (role == null) return;
              String service = e.getKey();
              assertThat(role).as(service + " role").isIn(PARLEY_ROLES);
              roles.add(role);
              assertThat(e.getValue().path("restart").asText())
                  .as(service + " restart")
                  .isNotBlank();
              assertThat(ParleyDefaults.value("log.format", env))
                  .as(service + " log format")
                  .isEqualTo("json");
              assertThat(ParleyDefaults.value("admin.host", env))
                  .as(service + " admin host")
                  .isEqualTo("0.0.0.0");
              int admin = ParleyDefaults.port("admin.port", env);
              String healthcheck = e.getValue().at("/healthcheck/test").toString();
              assertThat(healthcheck)
                  .as(service + " health check on the admin port's /readyz")
                  .contains("127.0.0.1:" + admin + "/readyz");

              // Every host:port a Parley variable names is a service of this file, and where the
              // target is a Parley service, the port is one that service listens on.
              env.forEach(
                  (key, value) -> {
                    Matcher m = HOST_PORT.matcher(value);
                    while (m.find()) {
                      String host = m.group(1);
                      if (host.equals("localhost")) continue;
                      assertThat(names)
                          .as(service + " " + key + " names service " + host)
                          .contains(host);
                      Map<String, String> targetEnv = environment(services.path(host));
                      if (targetEnv.containsKey("PARLEY_NODE_ROLE")) {
                        assertThat(Integer.parseInt(m.group(2)))
                            .as(service + " " + key + " port of " + host)
                            .isEqualTo(ParleyDefaults.port("cluster.grpc-port", targetEnv));
                      }
                    }
                  });
              String advertised = env.get("PARLEY_CLUSTER_ADVERTISE_HOST");
              if (role.equals("gateway")) {
                assertThat(advertised).as(service + " advertises its own name").isEqualTo(service);
                int port = ParleyDefaults.port("gateway.port", env);
                for (JsonNode mapping : e.getValue().path("ports")) {
                  assertThat(mapping.asText())
                      .as(service + " publishes its client port")
                      .endsWith(":" + port);
                }
              }
            });
    assertThat(roles).as("every Parley role runs").isEqualTo(new TreeSet<>(PARLEY_ROLES));
  }

  @Test
  void prometheusScrapesServicesOfThisFileOnTheirAdminPorts() {
    JsonNode prometheus = Yaml.read(DeployDir.resolve("prometheus/prometheus.yml"));
    Set<String> names = serviceNames();
    Set<String> scrapedParley = new TreeSet<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      for (JsonNode config : job.path("static_configs")) {
        for (JsonNode target : config.path("targets")) {
          URI uri = URI.create("http://" + target.asText());
          if (uri.getHost().equals("localhost")) continue;
          assertThat(names).as("scrape target " + target).contains(uri.getHost());
          Map<String, String> env = environment(services.path(uri.getHost()));
          if (env.containsKey("PARLEY_NODE_ROLE")) {
            assertThat(uri.getPort())
                .as(target + " admin port")
                .isEqualTo(ParleyDefaults.port("admin.port", env));
            scrapedParley.add(uri.getHost());
          }
        }
      }
    }
    Set<String> parleyServices = new TreeSet<>();
    services
        .properties()
        .forEach(
            e -> {
              if (environment(e.getValue()).containsKey("PARLEY_NODE_ROLE"))
                parleyServices.add(e.getKey());
            });
    assertThat(scrapedParley).as("every Parley process is scraped").isEqualTo(parleyServices);
  }

  private Set<String> serviceNames() {
    Set<String> names = new TreeSet<>();
    services.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new HashMap<>();
    JsonNode environment = service.path("environment");
    environment
        .properties()
        .forEach(e -> env.put(e.getKey(), interpolateDefault(e.getValue().asText())));
    return env;
  }

  /** ${VAR:-default} as Compose resolves it with VAR unset. */
  private static String interpolateDefault(String value) {
    return value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
  }

  private JsonNode load() {
    try (Reader reader = Files.newBufferedReader(COMPOSE)) {
      Object tree = new org.yaml.snakeyaml.Yaml().load(reader);
      return mapper.valueToTree(tree);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
