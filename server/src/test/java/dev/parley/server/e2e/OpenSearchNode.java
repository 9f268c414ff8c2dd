package dev.parley.server.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opensearch.Version;
import org.opensearch.analysis.common.CommonAnalysisModulePlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.index.reindex.ReindexModulePlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.node.NodeValidationException;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * A real single OpenSearch node inside the test JVM, HTTP on 127.0.0.1 (DEPENDENCIES.md, "Search"):
 * the HTTP transport, the common analysis module (cjk_bigram, cjk_width, asciifolding, edge_ngram)
 * and the reindex module (_delete_by_query, which history retention sends) are loaded from the
 * classpath as plugins. Not a mode OpenSearch supports for production; tests only. One per test
 * class (it takes a few seconds to start).
 */
final class OpenSearchNode implements AutoCloseable {
  private final Node node;
  private final Path home;

  private OpenSearchNode(Node node, Path home) {
    this.node = node;
    this.home = home;
  }

  static OpenSearchNode start() {
    // The server under test has set Netty's processor count already; OpenSearch would set it again
    // and refuse to start.
    System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
    try {
      Path home = Files.createTempDirectory("parley-opensearch");
      Settings settings =
          Settings.builder()
              .put("path.home", home.toString())
              .put("cluster.name", "parley-test")
              .put("node.name", "n1")
              .put("discovery.type", "single-node")
              .put("network.host", "127.0.0.1")
              .put("http.port", "9250-9299")
              .put("transport.port", "9350-9399")
              .put("cluster.routing.allocation.disk.threshold_enabled", false)
              .build();
      Environment env =
          InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "n1");
      Node node = new ClasspathPluginsNode(env).start();
      return new OpenSearchNode(node, home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NodeValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The node's HTTP address, for {@code msg.search.opensearch.url}. */
  String url() {
    int port =
        node.injector()
            .getInstance(HttpServerTransport.class)
            .boundAddress()
            .publishAddress()
            .getPort();
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    try {
      node.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(home);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reaches Node's protected constructor, which takes plugins found on the classpath. */
  private static final class ClasspathPluginsNode extends Node {
    ClasspathPluginsNode(Environment env) {
      super(
          env,
          List.of(
              plugin(Netty4ModulePlugin.class),
              plugin(CommonAnalysisModulePlugin.class),
              plugin(ReindexModulePlugin.class)),
          true);
    }

    private static PluginInfo plugin(Class<?> cls) {
      return new PluginInfo(
          cls.getName(),
          "classpath plugin",
          "NA",
          Version.CURRENT,
          "21",
          cls.getName(),
          List.of(),
          false);
    }
  }
}
