# Shared by bin/securenn, bin/test and bin/bench: finds a JDK 25+, defines the JVM options every launch needs,
# and rebuilds the project when its sources are newer than the last build. Sourced, not executed.

SECURENN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECURENN_DEFAULT_JDK=/usr/lib/jvm/temurin-25-jdk-amd64

# The same options the parent pom gives Surefire: the Vector API module, FFM native access, and the JDK internals
# that Agrona/Aeron use.
SECURENN_JVM_OPTS="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED -XX:+UseParallelGC"

securenn_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

securenn_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    local major
    major="$(securenn_java_major "$JAVA_HOME")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      return 0
    fi
  fi
  if [ -x "$SECURENN_DEFAULT_JDK/bin/java" ]; then
    export JAVA_HOME="$SECURENN_DEFAULT_JDK"
    return 0
  fi
  echo "securenn: no JDK 25 found. JAVA_HOME is '${JAVA_HOME:-unset}' and $SECURENN_DEFAULT_JDK does not exist." >&2
  echo "securenn: install a JDK 25 or later (e.g. Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
}

# securenn_build_if_stale MODULE: builds MODULE and what it needs (tests skipped) when any pom or source file is
# newer than MODULE's build stamp.
securenn_build_if_stale() {
  local module="$1"
  local stamp="$SECURENN_ROOT/$module/target/.launcher-build-stamp"
  if [ -f "$stamp" ] && [ -z "$(find "$SECURENN_ROOT" -path '*/target' -prune -o \
        \( -name pom.xml -o -path '*/src/*' \) -type f -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  echo "securenn: building $module (first run or sources changed; tests skipped) ..." >&2
  (cd "$SECURENN_ROOT" && ./mvnw -q -B -DskipTests package -pl "$module" -am) >&2
  touch "$stamp"
}

securenn_find_jdk
export JAVA_HOME
