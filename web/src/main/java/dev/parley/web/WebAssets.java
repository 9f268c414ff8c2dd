package dev.parley.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the web client from the classpath and makes it cacheable: every file reachable from {@code
 * index.html} gets a name carrying a hash of its content ({@code js/main.js} → {@code
 * /assets/js/main.3f2a1c9b0d.js}), and the references to it are rewritten. A browser may then keep
 * each asset for a year; a new release changes the names of what changed, and only {@code
 * index.html} (revalidated on every load) has to be fetched again.
 *
 * <p>Files are discovered by following references, so there is no list to keep up to date: in HTML,
 * {@code src="..."} and {@code href="..."} attributes with a relative path; in JavaScript, static
 * and dynamic imports of relative specifiers ({@code from './x.js'}, {@code import('./x.js')}); in
 * CSS, {@code url(...)} with a relative path. A file's hash covers its rewritten content, so a
 * module's name changes when anything it imports changes (imports must not form a cycle: a cycle
 * has no order in which names can be computed, and loading fails).
 *
 * <p>Runs once at startup, in milliseconds for a client of this size; the result is immutable.
 */
public final class WebAssets {
  /** Where the client's sources live on the classpath. */
  public static final String ROOT = "/dev/parley/web/app/";

  public static final String ASSETS = "/assets/";

  private static final Charset UTF8 = StandardCharsets.UTF_8;
  private static final Pattern HTML_REF = Pattern.compile("\\b(src|href)=\"([^\":#?]+)\"");
  private static final Pattern JS_IMPORT =
      Pattern.compile("(\\bfrom\\s*|\\bimport\\s*\\(?\\s*)(['\"])(\\.{1,2}/[^'\"]+)\\2");
  private static final Pattern CSS_URL = Pattern.compile("url\\((['\"]?)([^'\")#?:]+)\\1\\)");

  private static final String HTML = "text/html; charset=utf-8";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", HTML,
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "json", "application/json");

  /**
   * Files served under their own name at the root, revalidated like the entry page, when the client
   * has them: a service worker's scope is the directory of its URL, so the worker that shows the
   * Web Push notifications must be {@code /sw.js} to control the whole site, and its URL must stay
   * the same across releases (the browser compares its bytes to update it).
   */
  static final List<String> FIXED_NAMES = List.of("sw.js");

  private final String root;
  private final Map<String, WebFile> byPath = new LinkedHashMap<>();
  private final Map<String, String> hashedName = new LinkedHashMap<>();
  private final Set<String> loading = new HashSet<>();

  private WebAssets(String root) {
    this.root = root;
  }

  /** The client shipped in this jar. */
  public static List<WebFile> load() {
    return load(ROOT);
  }

  /** The client under {@code root} (a classpath directory ending in '/'): index.html and assets. */
  public static List<WebFile> load(String root) {
    WebAssets assets = new WebAssets(root);
    byte[] index = assets.rewrite("index.html", assets.text("index.html")).getBytes(UTF8);
    List<WebFile> files = new ArrayList<>(assets.byPath.values());
    files.add(new WebFile("/", HTML, index, false, etag(index)));
    for (String name : FIXED_NAMES) {
      if (WebAssets.class.getResource(root + name) == null) continue;
      byte[] body = assets.rewrite(name, assets.text(name)).getBytes(UTF8);
      files.add(
          new WebFile(
              "/" + name,
              Objects.requireNonNull(TYPES.get(extension(name))),
              body,
              false,
              etag(body)));
    }
    return List.copyOf(files);
  }

  /** Loads {@code name} (relative to the root) and returns its hashed URL path. */
  private String asset(String name) {
    String done = hashedName.get(name);
    if (done != null) return done;
    if (!loading.add(name)) throw new IllegalStateException("Import cycle through " + name);
    String ext = extension(name);
    String type = TYPES.get(ext);
    if (type == null) throw new IllegalStateException("No MIME type known for " + name);
    byte[] body = type.contains("charset") ? rewrite(name, text(name)).getBytes(UTF8) : bytes(name);
    String hash = hex(sha256(body)).substring(0, 12);
    String path = ASSETS + name.substring(0, name.length() - ext.length()) + hash + "." + ext;
    byPath.put(path, new WebFile(path, type, body, true, etag(body)));
    hashedName.put(name, path);
    loading.remove(name);
    return path;
  }

  /**
   * Replaces each relative reference in {@code name}'s text by the referenced file's hashed path.
   */
  private String rewrite(String name, String text) {
    String ext = extension(name);
    Pattern p = ext.equals("html") ? HTML_REF : ext.equals("js") ? JS_IMPORT : CSS_URL;
    int group = ext.equals("js") ? 3 : 2;
    Matcher m = p.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String target = resolve(name, m.group(group));
      String path = asset(target);
      String replaced =
          text.substring(m.start(), m.start(group)) + path + text.substring(m.end(group), m.end());
      m.appendReplacement(out, Matcher.quoteReplacement(replaced));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code ref} relative to the directory of {@code from}, both below the root. */
  static String resolve(String from, String ref) {
    List<String> parts = new ArrayList<>(List.of(from.split("/")));
    parts.remove(parts.size() - 1);
    for (String seg : ref.split("/")) {
      if (seg.equals(".") || seg.isEmpty()) continue;
      if (seg.equals("..")) {
        if (parts.isEmpty()) throw new IllegalStateException(ref + " leaves the client root");
        parts.remove(parts.size() - 1);
      } else {
        parts.add(seg);
      }
    }
    return String.join("/", parts);
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1);
  }

  private String text(String name) {
    return new String(bytes(name), UTF8);
  }

  private byte[] bytes(String name) {
    try (InputStream in = WebAssets.class.getResourceAsStream(root + name)) {
      if (in == null) throw new IllegalStateException("Web client file missing: " + root + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] body) {
    return "\"" + hex(sha256(body)).substring(0, 20) + "\"";
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
