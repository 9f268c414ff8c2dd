package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WebAssetsTest {
  private static final String FIXTURE = "/dev/parley/web/fixture/";

  private static Map<String, WebFile> byPath(List<WebFile> files) {
    return files.stream().collect(Collectors.toMap(WebFile::path, Function.identity()));
  }

  private static String text(WebFile f) {
    return new String(f.body(), StandardCharsets.UTF_8);
  }

  @Test
  void everyReferencedFileGetsAHashedNameAndTheReferencesAreRewritten() {
    Map<String, WebFile> files = byPath(WebAssets.load(FIXTURE));
    assertThat(files).hasSize(6); // index, css, svg and 3 modules: nothing unreferenced
    WebFile index = files.get("/");
    assertThat(index.immutable()).isFalse();
    String html = text(index);
    assertThat(html)
        .containsPattern("href=\"/assets/app\\.[0-9a-f]{12}\\.css\"")
        .containsPattern("src=\"/assets/js/main\\.[0-9a-f]{12}\\.js\"")
        .contains("href=\"https://example.com/x.js\""); // absolute URLs are left alone
    WebFile main =
        files.values().stream()
            .filter(f -> f.path().startsWith("/assets/js/main."))
            .findFirst()
            .orElseThrow();
    assertThat(main.immutable()).isTrue();
    assertThat(main.contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(text(main))
        .containsPattern("from '/assets/js/a\\.[0-9a-f]{12}\\.js'")
        .containsPattern("import\\('/assets/js/lib/b\\.[0-9a-f]{12}\\.js'\\)");
    WebFile b =
        files.values().stream()
            .filter(f -> f.path().startsWith("/assets/js/lib/b."))
            .findFirst()
            .orElseThrow();
    assertThat(text(b)).containsPattern("from '/assets/js/a\\.[0-9a-f]{12}\\.js'");
    WebFile css =
        files.values().stream().filter(f -> f.path().endsWith(".css")).findFirst().orElseThrow();
    assertThat(text(css)).containsPattern("url\\('/assets/dot\\.[0-9a-f]{12}\\.svg'\\)");
    assertThat(
            files.values().stream()
                .filter(f -> f.path().endsWith(".svg"))
                .findFirst()
                .orElseThrow()
                .contentType())
        .isEqualTo("image/svg+xml");
  }

  @Test
  void namesAreStableAcrossLoadsAndEtagsDifferByContent() {
    assertThat(byPath(WebAssets.load(FIXTURE)).keySet())
        .isEqualTo(byPath(WebAssets.load(FIXTURE)).keySet());
    List<String> etags = WebAssets.load(FIXTURE).stream().map(WebFile::etag).distinct().toList();
    assertThat(etags).hasSize(6);
  }

  @Test
  void anImportCycleIsRefused() {
    assertThatThrownBy(() -> WebAssets.load("/dev/parley/web/cycle/"))
        .hasMessageContaining("Import cycle");
  }

  @Test
  void theShippedClientLoads() {
    Map<String, WebFile> files = byPath(WebAssets.load());
    assertThat(text(files.get("/"))).doesNotContain("src=\"js/").doesNotContain("href=\"css/");
    // Every module of the client is reachable from index.html: nothing is served under its plain
    // name, except the service worker, whose URL must not change.
    assertThat(files.keySet())
        .allMatch(
            p ->
                p.equals("/")
                    || p.equals("/sw.js")
                    || p.matches("/assets/.+\\.[0-9a-f]{12}\\.\\w+"));
    assertThat(files.keySet()).anyMatch(p -> p.startsWith("/assets/js/ui/chat."));
  }

  @Test
  void theServiceWorkerKeepsItsRootPathAndIsRevalidated() {
    WebFile sw = byPath(WebAssets.load()).get("/sw.js");
    assertThat(sw).isNotNull();
    assertThat(sw.immutable()).isFalse();
    assertThat(sw.contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(text(sw)).contains("addEventListener('push'");
    assertThat(byPath(WebAssets.load(FIXTURE))).doesNotContainKey("/sw.js");
  }

  @Test
  void resolvesRelativePaths() {
    assertThat(WebAssets.resolve("js/ui/chat.js", "../dom.js")).isEqualTo("js/dom.js");
    assertThat(WebAssets.resolve("index.html", "css/app.css")).isEqualTo("css/app.css");
    assertThatThrownBy(() -> WebAssets.resolve("index.html", "../x.js"))
        .hasMessageContaining("leaves");
  }
}
