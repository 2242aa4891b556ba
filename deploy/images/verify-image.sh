#!/usr/bin/env bash
# Proves an image tarball runs without a container engine: unpacks its layers into a root
# filesystem, then starts its entrypoint with its environment, as its (non-root) user, in a chroot
# with a private /proc, and waits for the service's readiness probe. Root is needed for chroot.
#
#   deploy/images/verify-image.sh api-gateway [port]
set -euo pipefail
cd "$(dirname "$0")/../.."
service="$1"
port="${2:-18090}"
image="$service/target/$service-image.tar"
root="deploy/images/target/verify-$service"
rm -rf "$root"
mkdir -p "$root"

# Unpack the OCI layout (index -> manifest -> config and gzip layers, applied in order).
python3 - "$image" "$root" >"$root.env" <<'PY'
import gzip, io, json, shlex, sys, tarfile
image, root = sys.argv[1], sys.argv[2]
with tarfile.open(image) as t:
    blob = lambda digest: t.extractfile("blobs/sha256/" + digest.split(":")[1]).read()
    index = json.load(t.extractfile("index.json"))
    manifest = json.loads(blob(index["manifests"][0]["digest"]))
    config = json.loads(blob(manifest["config"]["digest"]))
    for layer in manifest["layers"]:
        with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob(layer["digest"])))) as lt:
            lt.extractall(root, filter="tar")
c = config["config"]
print("IMAGE_USER=" + shlex.quote(c.get("User", "0")))
print("IMAGE_ENTRYPOINT=(" + " ".join(shlex.quote(a) for a in c["Entrypoint"] + (c.get("Cmd") or [])) + ")")
print("IMAGE_ENV=(" + " ".join(shlex.quote(e) for e in c.get("Env", [])) + ")")
print("IMAGE_WORKDIR=" + shlex.quote(c.get("WorkingDir", "/")))
PY
# shellcheck disable=SC1090
source "$root.env"
echo "image $image: user $IMAGE_USER, entrypoint ${IMAGE_ENTRYPOINT[*]:0:3} ..."
mkdir -p "$root/proc"
log="deploy/images/target/verify-$service.log"
unshare --mount --pid --fork --mount-proc="$root/proc" \
  chroot --userspec="$IMAGE_USER" "$root" /opt/java/bin/java -version >"$log" 2>&1
echo "the image's java as its user: $(head -1 "$log")"
# Its own process group (setsid), so the exit trap stops the JVM too, not only unshare.
setsid env -i "${IMAGE_ENV[@]}" SERVER_PORT="$port" SPRING_PROFILES_ACTIVE=local \
  "$(command -v unshare)" --mount --pid --fork --kill-child --mount-proc="$root/proc" \
  "$(command -v chroot)" --userspec="$IMAGE_USER" "$root" "${IMAGE_ENTRYPOINT[@]}" >>"$log" 2>&1 &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1; then
    echo "ready: $(curl -s "http://127.0.0.1:$port/actuator/health/readiness") (log: $log)"
    grep -m1 -o "Started [A-Za-z]* in [0-9.]* seconds" "$log" || true
    exit 0
  fi
  kill -0 $pid 2>/dev/null || break
  sleep 1
done
echo "not ready; see $log" >&2
exit 1
