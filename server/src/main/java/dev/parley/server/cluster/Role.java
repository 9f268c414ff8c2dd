package dev.parley.server.cluster;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a process runs. {@code single} is every role in one JVM with in-process transports. */
public enum Role {
  GATEWAY,
  USER,
  MSG,
  PUSH;

  /** Parses "gateway,msg"; "single" is not a cluster role and returns an empty set. */
  public static Set<Role> parse(String roles) {
    EnumSet<Role> set = EnumSet.noneOf(Role.class);
    for (String part : roles.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty() || name.equals("single")) continue;
      try {
        set.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Unknown role '"
                + part.trim()
                + "': use single, or a list of gateway, user, msg, push");
      }
    }
    return set;
  }
}
