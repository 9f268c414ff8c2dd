package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay with {@code kubectl kustomize} (offline; {@code kubectl apply --dry-run}
 * needs an API server) and checks the objects as the cluster would use them: probes on the admin
 * endpoints, resources, selectors that match pods, Service ports that reach container ports, which
 * are the ports the configuration makes the process listen on, and the gateway's grace period
 * covering its drain.
 */
class KustomizeOverlaysTest {
  private static final Set<String> ROLES = Set.of("gateway", "user", "msg", "push");

  /** The user the image runs as (image/pom.xml, parley.image.uid). */
  private static final int IMAGE_UID = 10001;

  /** Secrets an overlay expects to exist rather than generating them (prod: the secret store). */
  private static final Map<String, Set<String>> EXTERNAL_SECRETS =
      Map.of("dev", Set.of(), "prod", Set.of("parley-secrets"));

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void overlayRendersToConsistentObjects(String overlay) throws Exception {
    Path dir = DeployDir.resolve("kubernetes/overlays/" + overlay);
    ExternalTool.Result result = ExternalTool.KUBECTL.run(dir, "kustomize", ".");
    assertThat(result.exitCode()).as(result.output()).isZero();
    Rendered rendered = new Rendered(Yaml.readAll(result.output()));

    List<JsonNode> deployments = rendered.ofKind("Deployment");
    Set<String> roles = new TreeSet<>();
    for (JsonNode deployment : deployments) {
      roles.add(checkDeployment(deployment, rendered, overlay));
    }
    assertThat(roles).as("a Deployment per role").isEqualTo(new TreeSet<>(ROLES));

    for (JsonNode service : rendered.ofKind("Service")) checkService(service, deployments);
    checkAutoscalers(rendered, deployments);
    for (JsonNode pdb : rendered.ofKind("PodDisruptionBudget")) {
      assertThat(podsSelectedBy(pdb.at("/spec/selector/matchLabels"), deployments))
          .as("PodDisruptionBudget " + name(pdb) + " selects pods")
          .isNotEmpty();
    }
    assertThat(rendered.ofKind("PodDisruptionBudget")).hasSize(ROLES.size());
    for (JsonNode policy : rendered.ofKind("NetworkPolicy")) {
      assertThat(podsSelectedBy(policy.at("/spec/podSelector/matchLabels"), deployments))
          .as("NetworkPolicy " + name(policy) + " selects pods")
          .isNotEmpty();
    }
    checkServiceMonitor(rendered);
  }

  /** Returns the Deployment's role. */
  private static String checkDeployment(JsonNode deployment, Rendered rendered, String overlay) {
    String name = name(deployment);
    JsonNode pod = deployment.at("/spec/template");
    assertThat(matches(deployment.at("/spec/selector/matchLabels"), pod.at("/metadata/labels")))
        .as(name + ": selector matches its pod labels")
        .isTrue();
    JsonNode containers = pod.at("/spec/containers");
    assertThat(containers.size()).as(name + " containers").isEqualTo(1);
    JsonNode container = containers.get(0);

    Map<String, String> env = environment(container, rendered, overlay, name);
    String role = env.get("PARLEY_NODE_ROLE");
    assertThat(role).as(name + " PARLEY_NODE_ROLE").isIn(ROLES);

    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonNode get = container.path(probe).path("httpGet");
      assertThat(get.isMissingNode()).as(name + " has an HTTP " + probe).isFalse();
      assertThat(get.path("port").asText()).as(name + " " + probe + " port").isEqualTo("admin");
      assertThat(get.path("path").asText())
          .as(name + " " + probe + " path")
          .isEqualTo(probe.equals("readinessProbe") ? "/readyz" : "/healthz");
    }
    for (String kind : List.of("requests", "limits")) {
      for (String resource : List.of("cpu", "memory")) {
        assertThat(container.at("/resources/" + kind + "/" + resource).asText())
            .as(name + " " + kind + "." + resource)
            .isNotBlank();
      }
    }

    checkRunsAsTheImageUserOnAReadOnlyRoot(pod, container, env, name);

    // The ports the process will listen on (its configuration) are the ports the container
    // declares.
    Map<String, Integer> declared = new HashMap<>();
    for (JsonNode port : container.path("ports")) {
      declared.put(port.path("name").asText(), port.path("containerPort").asInt());
    }
    Map<String, Integer> expected = new HashMap<>();
    expected.put("admin", ParleyDefaults.port("admin.port", env));
    // A process serves gRPC when it hosts a service: user and msg, and a gateway's Deliver.
    if (!role.equals("push")) expected.put("grpc", ParleyDefaults.port("cluster.grpc-port", env));
    if (role.equals("gateway")) expected.put("http", ParleyDefaults.port("gateway.port", env));
    assertThat(declared).as(name + " container ports").isEqualTo(expected);
    assertThat(ParleyDefaults.value("admin.host", env))
        .as(name + ": the admin port must listen beyond 127.0.0.1 for probes and Prometheus")
        .isEqualTo("0.0.0.0");

    if (role.equals("gateway")) {
      Duration preStop =
          Duration.ofSeconds(container.at("/lifecycle/preStop/sleep/seconds").asLong(0));
      Duration drain = ParleyDefaults.duration("gateway.shutdown-drain", env);
      Duration grace = Duration.ofSeconds(pod.at("/spec/terminationGracePeriodSeconds").asLong(30));
      // go_away goes out with up to 5 s of random delay before the drain's end: keep that margin.
      assertThat(grace)
          .as(name + ": terminationGracePeriodSeconds covers preStop + shutdown-drain + 5 s")
          .isGreaterThanOrEqualTo(preStop.plus(drain).plusSeconds(5));
    }
    return role;
  }

  /**
   * The image (image module) runs as UID 10001 and writes only to its data directory and /tmp: the
   * pod must not run as root, must keep the root filesystem read-only and must mount both paths.
   */
  private static void checkRunsAsTheImageUserOnAReadOnlyRoot(
      JsonNode pod, JsonNode container, Map<String, String> env, String name) {
    assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean())
        .as(name + " runAsNonRoot")
        .isTrue();
    assertThat(pod.at("/spec/securityContext/runAsUser").asInt())
        .as(name + " runAsUser: the image's user")
        .isEqualTo(IMAGE_UID);
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
        .as(name + " readOnlyRootFilesystem")
        .isTrue();
    List<String> mounts = new ArrayList<>();
    for (JsonNode mount : container.path("volumeMounts"))
      mounts.add(mount.path("mountPath").asText());
    assertThat(mounts)
        .as(name + " mounts the paths the server writes (node.data-dir and /tmp)")
        .contains(ParleyDefaults.value("node.data-dir", env), "/tmp");
  }

  /** The container's environment: its ConfigMaps (which must exist) overlaid by its own env. */
  private static Map<String, String> environment(
      JsonNode container, Rendered rendered, String overlay, String name) {
    Map<String, String> env = new HashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String configMap = from.at("/configMapRef/name").asText();
      JsonNode map = rendered.named("ConfigMap", configMap);
      assertThat(map).as(name + " envFrom ConfigMap " + configMap + " exists").isNotNull();
      map.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (JsonNode variable : container.path("env")) {
      JsonNode secretRef = variable.at("/valueFrom/secretKeyRef");
      if (!secretRef.isMissingNode()) {
        String secret = secretRef.path("name").asText();
        if (!EXTERNAL_SECRETS.get(overlay).contains(secret)) {
          JsonNode found = rendered.named("Secret", secret);
          assertThat(found).as(name + " Secret " + secret + " exists").isNotNull();
          assertThat(found.path("data").has(secretRef.path("key").asText()))
              .as(name + " Secret " + secret + " has key " + secretRef.path("key").asText())
              .isTrue();
        }
      }
      if (variable.has("value"))
        env.put(variable.path("name").asText(), variable.path("value").asText());
    }
    return env;
  }

  private static void checkService(JsonNode service, List<JsonNode> deployments) {
    List<JsonNode> pods = podsSelectedBy(service.at("/spec/selector"), deployments);
    assertThat(pods).as("Service " + name(service) + " selects pods").isNotEmpty();
    for (JsonNode port : service.at("/spec/ports")) {
      JsonNode target = port.path("targetPort");
      for (JsonNode pod : pods) {
        boolean reached = false;
        for (JsonNode containerPort : pod.at("/spec/containers/0/ports")) {
          reached |=
              target.isInt()
                  ? containerPort.path("containerPort").asInt() == target.asInt()
                  : containerPort.path("name").asText().equals(target.asText());
        }
        assertThat(reached)
            .as("Service " + name(service) + " targetPort " + target + " is a container port")
            .isTrue();
      }
    }
  }

  private static void checkAutoscalers(Rendered rendered, List<JsonNode> deployments) {
    Set<String> scaled = new TreeSet<>();
    for (JsonNode hpa : rendered.ofKind("HorizontalPodAutoscaler")) {
      JsonNode ref = hpa.at("/spec/scaleTargetRef");
      assertThat(ref.path("kind").asText()).isEqualTo("Deployment");
      assertThat(deployments.stream().map(KustomizeOverlaysTest::name))
          .as("HPA " + name(hpa) + " target")
          .contains(ref.path("name").asText());
      assertThat(hpa.at("/spec/minReplicas").asInt())
          .isLessThanOrEqualTo(hpa.at("/spec/maxReplicas").asInt());
      scaled.add(ref.path("name").asText());
    }
    assertThat(scaled).containsExactlyInAnyOrder("parley-gateway", "parley-msg");
  }

  private static void checkServiceMonitor(Rendered rendered) {
    List<JsonNode> monitors = rendered.ofKind("ServiceMonitor");
    assertThat(monitors).hasSize(1);
    JsonNode selector = monitors.get(0).at("/spec/selector/matchLabels");
    Set<String> scraped = new TreeSet<>();
    for (JsonNode service : rendered.ofKind("Service")) {
      if (!matches(selector, service.at("/metadata/labels"))) continue;
      for (JsonNode port : service.at("/spec/ports")) {
        if (port.path("name").asText().equals("admin")) {
          scraped.add(service.at("/spec/selector/app.kubernetes.io~1name").asText());
        }
      }
    }
    assertThat(scraped)
        .as("every role's admin port is scraped")
        .containsExactlyInAnyOrder("parley-gateway", "parley-user", "parley-msg", "parley-push");
  }

  private static List<JsonNode> podsSelectedBy(JsonNode selector, List<JsonNode> deployments) {
    List<JsonNode> pods = new ArrayList<>();
    if (selector.isMissingNode() || selector.isEmpty()) return pods;
    for (JsonNode deployment : deployments) {
      JsonNode pod = deployment.at("/spec/template");
      if (matches(selector, pod.at("/metadata/labels"))) pods.add(pod);
    }
    return pods;
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    var fields = selector.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) return false;
    }
    return true;
  }

  private static String name(JsonNode object) {
    return object.at("/metadata/name").asText();
  }

  /** The objects of one render, by kind and name ({@link #named}: null when absent). */
  private record Rendered(List<JsonNode> objects) {
    List<JsonNode> ofKind(String kind) {
      return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    JsonNode named(String kind, String name) {
      return ofKind(kind).stream().filter(o -> name(o).equals(name)).findFirst().orElse(null);
    }
  }
}
