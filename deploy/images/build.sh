#!/usr/bin/env bash
# Every service's container image, built without a Docker daemon or a registry:
#   1. the runtime base (build-base-image.sh: jlinked Java 25 + glibc, non-root, no shell);
#   2. Jib layers each service on it -> <service>/target/<service>-image.tar (OCI);
#   3. verify-image.sh starts one of them from its unpacked layers and waits for readiness.
# Push to a registry instead: add -Djib.to.image=... and run jib:build (deploy/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
services=api-gateway,upgrade-service,sse-gateway,notification-service,analytics-service,audit-service

deploy/images/build-base-image.sh
./mvnw -B -q -Pimage -pl "$services" -am package -DskipTests
for s in ${services//,/ }; do
  printf '  %-22s %s (%s MiB)\n' "$s" "$s/target/$s-image.tar" "$(( $(stat -c %s "$s/target/$s-image.tar") / 1048576 ))"
done
deploy/images/verify-image.sh api-gateway
