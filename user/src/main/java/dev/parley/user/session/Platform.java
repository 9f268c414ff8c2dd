package dev.parley.user.session;

import java.util.Locale;

/** The kind of device a session runs on. Stored by {@link #dbName()}. */
public enum Platform {
  WEB,
  ANDROID,
  IOS,
  DESKTOP;

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Platform fromDb(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
