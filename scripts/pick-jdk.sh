# Sourced by ./parley and ./mvnw: makes JAVA_HOME name a JDK 21 or newer, so that the README's two
# commands work on a machine whose default `java` is older (Debian 12's is 17). Keeps JAVA_HOME when
# it is one, else takes `java` on the PATH when it is one, else the first under /usr/lib/jvm.
# POSIX sh; safe under `set -euf` (no globbing used).
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
is_jdk21() { [ -x "$1" ] && [ "$(java_major "$1")" -ge 21 ] 2>/dev/null; }
pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && is_jdk21 "$JAVA_HOME/bin/java"; then
    return 0
  fi
  if command -v java >/dev/null 2>&1 && is_jdk21 "$(command -v java)"; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); export JAVA_HOME; return 0
  fi
  for d in $(ls /usr/lib/jvm 2>/dev/null); do
    if is_jdk21 "/usr/lib/jvm/$d/bin/java"; then JAVA_HOME=/usr/lib/jvm/$d; export JAVA_HOME; return 0; fi
  done
  echo "Parley needs a JDK 21 or newer: set JAVA_HOME to one." >&2; exit 1
}
