#!/usr/bin/env bash
# Gives the VPP tier a real VPP without a 47-minute build: when no VPP is configured or installed,
# unpacks a prebuilt install prefix (a `vpp-prefix-*.tar.xz` made with CMAKE_INSTALL_PREFIX=/opt/vpp)
# at /opt/vpp, and installs the host libraries it links, so `ldd` resolves them when the kit packs the
# prefix into an image. Idempotent. A VPP someone built or put at /opt/vpp stays untouched: only a
# prefix this script unpacked (it leaves a marker) is ever replaced, and only by a different tarball.
#
# Usage: scripts/vpp-prefix.sh [directory holding vpp-prefix-*.tar.xz]   (default: ../shared/vpp)
# Prints one line saying what it did; exits non-zero only when it tried and failed.
set -euo pipefail
# A folder given relative to where the script was run from, before moving to the repository.
SOURCE_DIR=$(realpath -m -- "${1:-$(dirname "$0")/../../shared/vpp}")
cd "$(dirname "$0")/.."

PREFIX=/opt/vpp
MARKER=$PREFIX/.vppkit-unpacked-from

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "vpp-prefix: $*"; }

if [ -n "${VPPKIT_VPP_PREFIX:-}" ]; then
  say "VPPKIT_VPP_PREFIX=$VPPKIT_VPP_PREFIX is set; using it, nothing unpacked"
  exit 0
fi

tarball=$(ls -1 "$SOURCE_DIR"/vpp-prefix-*-amd64.tar.xz 2>/dev/null | sort -V | tail -n 1 || true)

if [ -x "$PREFIX/bin/vpp" ] && [ ! -f "$MARKER" ]; then
  say "a VPP is installed at $PREFIX (not one this script unpacked); leaving it as it is"
  exit 0
fi
if [ -z "$tarball" ]; then
  if [ -x "$PREFIX/bin/vpp" ]; then
    say "$PREFIX holds $(cat "$MARKER"); no prefix tarball in $SOURCE_DIR to compare, keeping it"
  else
    say "no VPP at $PREFIX and no vpp-prefix-*-amd64.tar.xz in $SOURCE_DIR; the vpp tier will skip"
  fi
  exit 0
fi
if [ "$(uname -m)" != x86_64 ]; then
  say "$(basename "$tarball") is an amd64 build and this machine is $(uname -m); not unpacking it"
  exit 0
fi
if [ -e "$PREFIX" ] && [ ! -f "$MARKER" ] && [ -n "$(ls -A "$PREFIX" 2>/dev/null)" ]; then
  say "$PREFIX exists, is not empty and has no bin/vpp; move it away or set VPPKIT_VPP_PREFIX" >&2
  exit 1
fi

# The host libraries the prefix links (the tarball's README lists them). libbpf1 must be 1.3 or
# newer for af_xdp: bookworm has 1.1, bookworm-backports has it.
install_host_libraries() {
  local wanted=(libxdp1 libelf1 libnl-3-200 libnl-route-3-200 libssl3 libunwind8 liblzma5 zlib1g)
  local missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  local bpf_version
  bpf_version=$(dpkg-query -W -f='${Version}' libbpf1 2>/dev/null || true)
  local need_backports=false
  if [ -z "$bpf_version" ] || dpkg --compare-versions "$bpf_version" lt 1:1.3; then need_backports=true; fi
  if [ ${#missing[@]} -eq 0 ] && [ "$need_backports" = false ]; then return 0; fi

  # Only the files apt itself reads (it ignores e.g. *.disabled).
  local apt_sources=()
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && apt_sources+=("$f")
  done
  local codename
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  if [ "$need_backports" = true ]; then
    if [ "$codename" != bookworm ]; then
      # trixie and newer carry libbpf1 >= 1.3 in the release itself.
      missing+=(libbpf1)
      need_backports=false
    elif ! grep -qsE '^[^#]*bookworm-backports' "${apt_sources[@]}" /dev/null; then
      say "adding the bookworm-backports suite to apt's sources (/etc/apt/sources.list.d/vppkit-backports.list) for libbpf1 >= 1.3"
      # The same Debian mirror the machine already uses for bookworm (not another vendor's repository).
      local mirror
      mirror=$(grep -hE '^deb [^#]*https?://[^ ]+ bookworm( |$)' "${apt_sources[@]}" /dev/null 2>/dev/null | grep -oE 'https?://[^ ]+' | head -n 1 || true)
      if [ -z "$mirror" ]; then
        # deb822: the URIs of the stanza whose Suites name bookworm.
        mirror=$(awk 'BEGIN{RS=""} /Suites:[^\n]*[ \t]bookworm([ \t\n]|$)/ && !/Enabled: *no/ { if (match($0, /URIs: *[^ \n]+/)) { print substr($0, RSTART + 6, RLENGTH - 6) } }' \
          "${apt_sources[@]}" /dev/null 2>/dev/null | sed 's/^ *//' | head -n 1 || true)
      fi
      echo "deb ${mirror:-http://deb.debian.org/debian} bookworm-backports main" | as_root tee /etc/apt/sources.list.d/vppkit-backports.list >/dev/null
    fi
  fi
  local listed=("${missing[@]}")
  [ "$need_backports" = true ] && listed+=("libbpf1 (bookworm-backports)")
  say "installing the prefix's host libraries: ${listed[*]}"
  as_root apt-get update -qq
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [ "$need_backports" = true ]; then
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq -t bookworm-backports libbpf1 >/dev/null
  fi
}

name=$(basename "$tarball")
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$name" ] && [ -x "$PREFIX/bin/vpp" ]; then
  install_host_libraries
  say "$PREFIX already holds $name"
  exit 0
fi

install_host_libraries

# Unpack beside /opt/vpp and move into place, so an interrupted unpack never leaves a half prefix
# that later runs would take for a VPP.
parent=$(dirname "$PREFIX")
as_root mkdir -p "$parent"
staging=$(as_root mktemp -d "$parent/.vppkit-unpack.XXXXXX")
trap 'as_root rm -rf "$staging"' EXIT
as_root tar -C "$staging" -xJf "$tarball"
if [ ! -x "$staging$PREFIX/bin/vpp" ]; then
  say "$name has no ${PREFIX#/}/bin/vpp inside; it is not an install prefix made for $PREFIX" >&2
  exit 1
fi
echo "$name" | as_root tee "$staging$PREFIX/$(basename "$MARKER")" >/dev/null
if [ -e "$PREFIX" ]; then
  # Either empty or one this script unpacked earlier (checked above).
  as_root rm -rf "$PREFIX"
fi
as_root mv "$staging$PREFIX" "$PREFIX"
say "unpacked $name at $PREFIX"
