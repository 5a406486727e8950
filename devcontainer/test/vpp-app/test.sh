#!/bin/sh
# Smoke test of the vpp-app template, run inside its dev container from the workspace's test-project/
# folder, as devcontainers/templates runs test/<template>/test.sh. Exits 1 when any check fails.
set -u
failed=0
check() {
  description=$1
  shift
  if output=$("$@" 2>&1); then
    echo "ok   $description"
  else
    echo "FAIL $description"
    printf '%s\n' "$output" | sed 's/^/     /'
    failed=1
  fi
}
compiles() { # compiles and links a C program that includes $1, with the libraries $2...
  header=$1
  shift
  printf '#include <%s>\nint main(void) { return 0; }\n' "$header" | cc -x c - -o /tmp/vppkit-probe "$@"
}

vpp_address=${VPPKIT_VPP_ADDRESS%/*}
check "a C toolchain and CMake" sh -c 'command -v cc && command -v cmake'
check "the path's environment (VPPKIT_PATH=${VPPKIT_PATH:-unset})" test -n "${VPPKIT_PATH:-}"

# What the container was wired with, not the path's name, decides what is checked: a path added to
# the kit is checked by what it shares (VPP's sockets, a VCL config, a link to VPP).
if [ -S /run/vpp/cli.sock ]; then
  check "VPP answers on the shared /run/vpp" sh -c 'vppctl -s /run/vpp/cli.sock show version | grep "^vpp v"'
else
  check "VPP answers ping at $vpp_address, through the kernel interface it feeds" ping -c 3 -W 2 "$vpp_address"
fi
if [ -n "${VPPKIT_MEMIF_SOCKET:-}" ]; then
  check "VPP listens on $VPPKIT_MEMIF_SOCKET" test -S "$VPPKIT_MEMIF_SOCKET"
  check "libmemif: its header compiles and the library links" compiles libmemif.h -lmemif
fi
if [ -n "${VCL_CONFIG:-}" ]; then
  check "VCL_CONFIG names a vcl.conf for VPP's app socket" grep -q app-socket-api "$VCL_CONFIG"
  check "libvppcom: vcl/vppcom.h compiles and the library links" compiles vcl/vppcom.h -lvppcom
fi
exit $failed
