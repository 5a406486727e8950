#!/bin/sh
# build-libmemif.sh <libmemif source folder (extras/libmemif/src)> <install prefix>
#
# Compiles libmemif as its own CMake would, without it: that CMake fetches a test framework from
# GitHub and asks git for a version, neither possible from a source tarball offline. CC (default cc)
# is the compiler, native or a cross compiler such as aarch64-linux-gnu-gcc: everything that depends
# on the machine is asked of it, not of the machine the build runs on.
#
# MEMIF_CACHELINE_SIZE sets the layout of the rings libmemif shares with VPP (head, tail and the
# descriptors each start on a cache line of their own), so it must be VPP's: VPP builds its memif
# plugin with MEMIF_CACHELINE_SIZE = its own cache line, which for a generic Arm build (FD.io's
# arm64 packages, and any build without VPP_PLATFORM) is 128 bytes (src/cmake/cpu.cmake), and 64
# on x86_64. libmemif's CMake (extras/libmemif/CMakeLists.txt) picks the same: 128 on aarch64, 64
# elsewhere. Apps do not see it: libmemif.h does not depend on it.
set -eu

if [ $# -ne 2 ]; then
  echo 'usage: build-libmemif.sh <libmemif source folder> <install prefix>' >&2
  exit 2
fi
src=$1
prefix=$2
cc=${CC:-cc}

target=$($cc -dumpmachine)
case $target in
  aarch64*) cacheline=128 ;;
  *) cacheline=64 ;;
esac

# What libmemif's CMake checks for: memfd_create, and the strlcpy of C libraries that have one
# (glibc 2.38+), which libmemif otherwise defines itself.
has() {
  printf '#define _GNU_SOURCE\n#include <%s>\nint main(void) { %s; return 0; }\n' "$1" "$2" \
    | $cc -x c - -o /dev/null 2>/dev/null
}
defines=
if has sys/mman.h 'return memfd_create("memif", 0)'; then defines="$defines -DHAVE_MEMFD_CREATE"; fi
if has string.h 'char b[2]; return (int) strlcpy(b, "x", sizeof b)'; then defines="$defines -DHAVE_STRLCPY"; fi

echo "libmemif for $target: cache line $cacheline bytes,$defines"
mkdir -p "$prefix/lib" "$prefix/include"
# shellcheck disable=SC2086 # the defines are words
$cc -O2 -fPIC -shared -I"$src" $defines -DMEMIF_CACHELINE_SIZE=$cacheline \
  "$src/main.c" "$src/socket.c" -o "$prefix/lib/libmemif.so" -lpthread
cp "$src/libmemif.h" "$src/memif.h" "$prefix/include/"
