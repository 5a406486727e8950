#!/usr/bin/env bash
# Make the offline base image when it is missing: no container registry can be reached in offline
# labs and CI, so a Debian bookworm root is built with debootstrap and `docker import`ed under a fixed
# tag. The kit's images take their base from VPPKIT_BASE_IMAGE; point it at this tag.
# A second run finds the tag and does nothing.
set -euo pipefail

TAG=${VPPKIT_BASE_IMAGE:-vppkit/debian-base:bookworm}
SUITE=${VPPKIT_BASE_SUITE:-bookworm}
MIRROR=${VPPKIT_BASE_MIRROR:-http://deb.debian.org/debian}

if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "base image: $TAG present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "base image: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }

root=$(mktemp -d /var/tmp/vppkit-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "base image: debootstrap $SUITE from $MIRROR (a few minutes, log in $root.log)"
# ca-certificates so apt over https and tools inside the image work as on a registry image.
debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$root" "$MIRROR" >"$root.log" 2>&1 || {
  tail -n 30 "$root.log" >&2
  exit 1
}
# Registry images ship without apt caches and with a policy that keeps daemons from starting on install.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' \
  - "$TAG" >/dev/null
rm -f "$root.log"
echo "base image: $TAG imported"
