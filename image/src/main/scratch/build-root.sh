#!/usr/bin/env bash
# Builds the directories Jib adds to the image, in two trees:
#   OUTPUT/common   every image: the data directory /var/lib/parley (a volume; mode 777 is set in
#                   image/pom.xml, because Jib writes every file as root and the server runs as UID).
#   OUTPUT/scratch  the offline image only (base "scratch"): a jlink'ed JRE at /opt/java/openjdk (the
#                   path the eclipse-temurin images use, so the entrypoint is the same for both bases),
#                   the glibc libraries it links against, /etc/passwd and /etc/group naming UID, /tmp.
# Usage: build-root.sh common|scratch JAVA_HOME OUTPUT MODULES UID
# The scratch tree copies the build machine's glibc (Linux only), which is fine for the CI image it
# serves; releases use a maintained JRE base instead (image/pom.xml, parley.image.base).
set -euo pipefail
mode=$1 java_home=$2 out=$3 modules=$4 uid=$5

# Both trees are rebuilt: a release build must not pick up the scratch tree of an earlier CI build.
# Jib wants every extra directory to exist, so a release build leaves the scratch tree empty.
root=$out/scratch
rm -rf "$out/common" "$root"
mkdir -p "$out/common/var/lib/parley" "$root"
[ "$mode" = scratch ] || exit 0

mkdir -p "$root/opt/java" "$root/etc" "$root/tmp"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$root/opt/java/openjdk"

# The server runs headless (-Djava.awt.headless=true): drop the libraries for displays, sound and splash
# screens, which would pull in X11 and ALSA.
rm -f "$root"/opt/java/openjdk/lib/{libawt_xawt,libjsound,libsplashscreen}.so

# Every library the JRE's executables and shared objects need from outside the JRE, copied to the same
# path (ldd prints "name => /path (addr)" and, for the loader, "/path (addr)").
find "$root/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | grep -oE '/[^ ]+\.so[^ ]*' \
  | grep -v "^$root" \
  | sort -u \
  | while read -r lib; do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done

printf 'root:x:0:0:root:/root:/sbin/nologin\nparley:x:%s:%s:Parley:/var/lib/parley:/sbin/nologin\n' \
  "$uid" "$uid" > "$root/etc/passwd"
printf 'root:x:0:\nparley:x:%s:\n' "$uid" > "$root/etc/group"
