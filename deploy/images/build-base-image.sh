#!/usr/bin/env bash
# Builds the services' runtime base image as a Docker-format tarball, with no Docker daemon and no
# registry: a jlinked Java 25 runtime, glibc from Debian's libc6 package, a non-root user, nothing else
# (no shell, no package manager). Jib layers each service on top of it (build.sh).
#
#   deploy/images/build-base-image.sh        -> deploy/images/target/base-image.tar
set -euo pipefail
cd "$(dirname "$0")"
JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out="$PWD/target"
rm -rf "$out/rootfs" "$out/libc6"
mkdir -p "$out/rootfs" "$out/debs"

echo "jlink: Java runtime"
# java.se plus what Spring Boot, Netty, Kafka and operations need (Unsafe, DNS SRV, JFR, jcmd).
"$JAVA_HOME/bin/jlink" \
  --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.naming.dns,jdk.net,jdk.zipfs,jdk.localedata,jdk.jfr,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.attach,jdk.jcmd \
  --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$out/rootfs/opt/java"

echo "glibc: Debian's libc6 package"
if ! ls "$out"/debs/libc6_*.deb >/dev/null 2>&1; then
  (cd "$out/debs" && { apt-get download libc6 2>/dev/null || { apt-get update -qq && apt-get download libc6; }; })
fi
dpkg-deb -x "$out"/debs/libc6_*.deb "$out/libc6"
# The shared libraries and the loader only: no gconv modules, locales or documentation.
mkdir -p "$out/rootfs/lib/x86_64-linux-gnu" "$out/rootfs/lib64"
cp -a "$out"/libc6/lib/x86_64-linux-gnu/*.so* "$out/rootfs/lib/x86_64-linux-gnu/" 2>/dev/null \
  || cp -a "$out"/libc6/usr/lib/x86_64-linux-gnu/*.so* "$out/rootfs/lib/x86_64-linux-gnu/"
ln -sf /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$out/rootfs/lib64/ld-linux-x86-64.so.2"

echo "users, /tmp"
mkdir -p "$out/rootfs/etc" "$out/rootfs/tmp" "$out/rootfs/app"
chmod 1777 "$out/rootfs/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$out/rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$out/rootfs/etc/group"
printf 'hosts: files dns\n' >"$out/rootfs/etc/nsswitch.conf"

python3 - "$out" <<'PY'
import hashlib, io, json, os, sys, tarfile
out = sys.argv[1]
root = os.path.join(out, "rootfs")
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for base, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            path = os.path.join(base, name)
            info = tar.gettarinfo(path, arcname=os.path.relpath(path, root))
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = 0  # reproducible: the same inputs give the same digest
            if info.isreg():
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
layer_bytes = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"],
        "User": "65532:65532",
        "WorkingDir": "/app",
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "deploy/images/build-base-image.sh (jlink + Debian libc6)"}],
}
config_bytes = json.dumps(config, sort_keys=True).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
manifest = [{"Config": config_name, "RepoTags": ["aiw3/java-base:25"], "Layers": ["layer.tar"]}]
with tarfile.open(os.path.join(out, "base-image.tar"), "w") as image:
    for name, data in (("layer.tar", layer_bytes), (config_name, config_bytes),
                       ("manifest.json", json.dumps(manifest).encode())):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        image.addfile(info, io.BytesIO(data))
print(f"base image: {os.path.join(out, 'base-image.tar')} ({len(layer_bytes) // (1024 * 1024)} MiB layer, {diff_id[:19]})")
PY
