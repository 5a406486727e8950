#!/usr/bin/env bash
# Everything a fresh Debian machine needs to develop and test vppkit, idempotent:
#   Docker engine (Debian's docker.io) running with its log in a file, the offline base image,
#   a few 2 MB hugepages, a VPP install prefix at /opt/vpp when ../shared/vpp has a prebuilt one
#   (scripts/vpp-prefix.sh), the npm dependencies from the lockfile, and the built CLIs.
# It leaves dockerd running; `scripts/dockerd.sh stop` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

HUGEPAGES_WANTED=${VPPKIT_HUGEPAGES:-256}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v docker-compose >/dev/null || missing+=(docker-compose)
# The vpp tier drives vppkit on a pseudo-terminal with Python's pty (test/support/run-as-user.py).
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

as_root bash scripts/dockerd.sh start
bash scripts/base-image.sh

# Hugepages are optional for labs; the tests of the hugepage wiring need some reserved.
have=$(awk '/^HugePages_Total:/ {print $2}' /proc/meminfo)
if [ "${have:-0}" -lt "$HUGEPAGES_WANTED" ]; then
  if echo "$HUGEPAGES_WANTED" | as_root tee /proc/sys/vm/nr_hugepages >/dev/null 2>&1; then
    echo "setup: hugepages reserved: $(awk '/^HugePages_Total:/ {print $2}' /proc/meminfo) x 2 MB"
  else
    echo "setup: could not reserve hugepages; the hugepage tests will skip"
  fi
else
  echo "setup: hugepages reserved: $have x 2 MB"
fi
# VPP containers bind the host's hugetlbfs; some kernels boot without one mounted.
if ! grep -qs ' /dev/hugepages hugetlbfs ' /proc/mounts; then
  as_root mkdir -p /dev/hugepages
  as_root mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null && echo "setup: mounted hugetlbfs at /dev/hugepages" ||
    echo "setup: could not mount hugetlbfs at /dev/hugepages; the hugepage tests will skip"
fi

bash scripts/vpp-prefix.sh

npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
echo "setup: done; built $(node dist/vppkit.js --version)"
