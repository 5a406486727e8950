#!/usr/bin/env bash
# build-repo.sh <prefix> <out> <version>
#
# Test material for vppkit's release path (VPP from FD.io's packages), which cannot reach FD.io from
# here: Debian packages named, versioned and laid out as FD.io's, made from a VPP install prefix, in
# a signed apt repository laid out as FD.io's on packagecloud.io:
#
#   <out>/gpgkey                                      the signing key, ASCII-armored
#   <out>/<ID>/dists/<codename>/{Release,InRelease,Release.gpg}
#   <out>/<ID>/dists/<codename>/main/binary-<arch>/Packages{,.gz}
#   <out>/<ID>/pool/main/...                          the .deb files
#
# so `deb [signed-by=...] <base URL of out>/<ID>/ <codename> main` is FD.io's apt line. The version is
# what the packages are labelled, e.g. 26.06-release: the prefix's own VPP version is whatever it was
# built from. Runs in the tools image (Dockerfile beside it), as test/support/fdio-stand-in.ts does;
# OUT_OWNER (uid:gid) gets the files it writes.
#
# Which file goes in which package follows VPP's own packaging (src/pkg/debian, and the CMake install
# components it packs): libvppinfra (its shared library), libvppinfra-dev (its headers and link),
# vpp (the programs, the other shared libraries, /etc/vpp/startup.conf, the core API files),
# vpp-plugin-core (the plugins), vpp-crypto-engines, vpp-dev (the other headers, links, CMake files and
# API tools). As FD.io's rules do, prefix/{bin,include,lib,share} move under /usr, etc under /etc,
# and the binaries lose their RUNPATH (FD.io runs scripts/remove-rpath): VPP finds its plugins beside
# itself (/usr/bin/vpp -> /usr/lib/<triplet>/vpp_plugins) and its libraries where the loader looks.
set -euo pipefail

prefix=${1:?usage: build-repo.sh <prefix> <out> <version>}
out=${2:?usage: build-repo.sh <prefix> <out> <version>}
version=${3:?usage: build-repo.sh <prefix> <out> <version>}
mkdir -p "$out"
prefix=$(cd "$prefix" && pwd) out=$(cd "$out" && pwd)

. /etc/os-release
arch=$(dpkg --print-architecture)
mapfile -t triplets < <(cd "$prefix/lib" && ls -d -- *-linux-gnu* 2>/dev/null)
[ "${#triplets[@]}" -eq 1 ] || { echo "build-repo.sh: $prefix/lib has ${#triplets[@]} <triplet> folders (${triplets[*]:-none}); expected one" >&2; exit 1; }
lib=lib/${triplets[0]}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# debian/<package>/ as debhelper lays packages out, where dpkg-shlibdeps expects them.
stage=$work/debian
mkdir -p "$stage" && printf 'Source: vpp\n\nPackage: vpp\nArchitecture: any\n' > "$stage/control"

# A plugin's API test libraries go with the plugin (memif_test_plugin.so, memif_test_plugin_memif_plugin.so).
plugin_test_package() {
  local name=${1##*/}
  if [ -e "$prefix/$lib/vpp_plugins/${name%%_test_plugin*}_plugin.so" ]; then echo vpp-plugin-core; else echo vpp; fi
}

# The package a prefix file goes in; nothing for what FD.io does not ship in these packages.
package_of() {
  local rel=$1
  case $rel in
    .vppkit-unpacked-from | LICENSE.vpp) ;;
    # libmemif and its examples: FD.io does not package it (the app-dev image builds it from source).
    lib/libmemif.so* | include/libmemif.h | include/memif.h) ;;
    bin/*) if readelf -d "$prefix/$rel" 2>/dev/null | grep -q 'NEEDED.*\[libmemif\.so'; then :;
           elif [[ $rel == bin/vppapigen || $rel == bin/vapi_* ]]; then echo vpp-dev; else echo vpp; fi ;;
    # vpp_papi: FD.io's python3-vpp-api, which labs do not use.
    local/lib/python3*) ;;
    etc/*) echo vpp ;;
    include/vppinfra/config.h) echo vpp-dev ;;
    include/vppinfra/*) echo libvppinfra-dev ;;
    include/*) echo vpp-dev ;;
    "$lib"/libvppinfra.so) echo libvppinfra-dev ;;
    "$lib"/libvppinfra.so.*) echo libvppinfra ;;
    "$lib"/lib*.so) echo vpp-dev ;;
    "$lib"/lib*.so.*) echo vpp ;;
    # FD.io splits dpdk and the developer tools into packages of their own; this prefix has neither.
    "$lib"/vpp_plugins/*) echo vpp-plugin-core ;;
    "$lib"/vpp_crypto_engines/*) echo vpp-crypto-engines ;;
    "$lib"/vpp_api_test_plugins/* | "$lib"/vat2_plugins/*) plugin_test_package "$rel" ;;
    "$lib"/cmake/*) echo vpp-dev ;;
    share/vpp/api/plugins/*) echo vpp-plugin-core ;;
    share/vpp/api/*) echo vpp ;;
    share/vpp/*) echo vpp-dev ;;
    *) echo "build-repo.sh: $prefix/$rel is in none of FD.io's packages this script knows; say where it goes" >&2; return 1 ;;
  esac
}

echo "== sorting $prefix into packages"
declare -A count=() left=()
while IFS= read -r -d '' path; do
  rel=${path#"$prefix"/}
  package=$(package_of "$rel")
  [ -n "$package" ] || { left[${rel%%/*}]=$(( ${left[${rel%%/*}]:-0} + 1 )); continue; }
  case $rel in etc/*) dest=$rel ;; *) dest=usr/$rel ;; esac
  mkdir -p "$stage/$package/$(dirname "$dest")"
  cp -d --preserve=mode,timestamps "$path" "$stage/$package/$dest"
  count[$package]=$(( ${count[$package]:-0} + 1 ))
done < <(find "$prefix" \( -type f -o -type l \) -print0 | sort -z)
mapfile -t packages < <(printf '%s\n' "${!count[@]}" | sort)
for package in "${packages[@]}"; do echo "  $package: ${count[$package]} files"; done
echo "  in none (libmemif, vpp_papi, the prefix's own files):$(for top in "${!left[@]}"; do printf ' %s (%s)' "$top" "${left[$top]}"; done)"

description() {
  case $1 in
    vpp) echo 'Vector Packet Processing--executables' ;;
    vpp-plugin-core) echo 'Vector Packet Processing--runtime core plugins' ;;
    vpp-crypto-engines) echo 'Vector Packet Processing--runtime crypto engines' ;;
    vpp-dev) echo 'Vector Packet Processing--development support' ;;
    libvppinfra) echo 'Vector Packet Processing--runtime libraries' ;;
    libvppinfra-dev) echo 'Vector Packet Processing--runtime libraries (development files)' ;;
  esac
}

# The dependencies FD.io's debian/control declares between its own packages.
own_depends() {
  case $1 in
    vpp) echo "libvppinfra (= $version)" ;;
    vpp-plugin-core | vpp-crypto-engines) echo "vpp (= $version)" ;;
    vpp-dev) echo "libvppinfra-dev (= $version)" ;;
  esac
}

# What the package's binaries link from the distribution, as dpkg-shlibdeps reads it. The prefix's
# af_xdp plugin needs libbpf1 1.3 or newer at run time (scripts/vpp-prefix.sh says why), which its
# symbol versions do not show; FD.io's own packages link libbpf statically and need no libbpf1.
# Libraries of the packages being built are not the distribution's: left out (--ignore-missing-info).
shlib_depends() {
  local package=$1 files dirs=() found
  mapfile -t files < <(find "debian/$package" -type f \( -name '*.so*' -o -path '*/usr/bin/*' \) -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print)
  [ "${#files[@]}" -gt 0 ] || return 0
  for other in debian/*/usr/"$lib"; do dirs+=("-l$other"); done
  found=$(dpkg-shlibdeps -O --ignore-missing-info "${dirs[@]}" "${files[@]}" 2>"$work/shlibdeps.log") \
    || { cat "$work/shlibdeps.log" >&2; return 1; }
  printf '%s\n' "$found" | sed -e 's/^shlibs:Depends=//' -e 's/libbpf1 ([^)]*)/libbpf1 (>= 1:1.3)/'
}
repo=$out/$ID
pool=$repo/pool/main/v/vpp
mkdir -p "$pool" "$repo/pool/main/libb/libbpf" "$repo/dists/$VERSION_CODENAME/main/binary-$arch"

cd "$work"
for package in "${packages[@]}"; do
  root=$stage/$package
  # FD.io's rules strip the build tree's RUNPATH from everything they package.
  while IFS= read -r -d '' file; do
    if readelf -d "$file" 2>/dev/null | grep -q -E '\((RUNPATH|RPATH)\)'; then chrpath -d "$file" >/dev/null; fi
  done < <(find "$root" -type f -print0)
  mkdir -p "$root/usr/share/doc/$package" "$root/DEBIAN"
  cp "$prefix/LICENSE.vpp" "$root/usr/share/doc/$package/copyright"
  shlibs=$(shlib_depends "$package")
  depends=$(printf '%s\n' "$(own_depends "$package")" "$shlibs" | sed '/^$/d' | paste -sd, | sed 's/, */, /g')
  {
    echo "Package: $package"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: vppkit tests <fdio-stand-in@vppkit.invalid>"
    echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
    [ -z "$depends" ] || echo "Depends: $depends"
    echo "Section: net"
    echo "Priority: optional"
    echo "Description: $(description "$package")"
    echo " A stand-in for FD.io's package, made by vppkit's tests from a VPP install prefix and"
    echo " labelled $version whatever VPP version the prefix holds."
  } > "$root/DEBIAN/control"
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | xargs -0 -r md5sum) > "$root/DEBIAN/md5sums"
  if [ -d "$root/etc" ]; then (cd "$root" && find etc -type f -printf '/%p\n') > "$root/DEBIAN/conffiles"; fi
  # Shared libraries in the loader's own directories: dpkg runs ldconfig once it has them.
  if compgen -G "$root/usr/$lib/lib*.so.*" >/dev/null; then echo 'activate-noawait ldconfig' > "$root/DEBIAN/triggers"; fi
  if [ "$package" = vpp ]; then
    # As FD.io's vpp.preinst and vpp.postinst do: the vpp group (for VPP's sockets), and VPP's sysctl
    # settings (hugepages) applied unless the installer opts out, as container builds must.
    printf '%s\n' '#!/bin/sh' 'set -e' 'groupadd -f -r vpp' 'start-stop-daemon --stop --quiet --exec /usr/bin/vpp || true' > "$root/DEBIAN/preinst"
    printf '%s\n' '#!/bin/sh' 'set -e' 'if [ -z "${VPP_INSTALL_SKIP_SYSCTL:-}" ]; then sysctl --system; fi' 'exit 0' > "$root/DEBIAN/postinst"
    chmod 0755 "$root/DEBIAN/preinst" "$root/DEBIAN/postinst"
  fi
  # gzip, not dpkg-deb's default xz: half the time, and apt reads both.
  dpkg-deb --root-owner-group -Zgzip --build "$root" "$pool/${package}_${version}_${arch}.deb" >/dev/null
  echo "== $package $version: Depends: ${depends:-(none)}"
done

# The stand-in repository must be enough on its own: backports' libbpf1 (see shlib_depends).
cp /debs/*.deb "$repo/pool/main/libb/libbpf/"

echo "== indexing and signing $repo/dists/$VERSION_CODENAME"
(cd "$repo" && apt-ftparchive packages pool > "dists/$VERSION_CODENAME/main/binary-$arch/Packages")
gzip -9kn "$repo/dists/$VERSION_CODENAME/main/binary-$arch/Packages"
apt-ftparchive \
  -o APT::FTPArchive::Release::Origin="vppkit FD.io stand-in" \
  -o APT::FTPArchive::Release::Label="vppkit FD.io stand-in" \
  -o APT::FTPArchive::Release::Suite="$VERSION_CODENAME" \
  -o APT::FTPArchive::Release::Codename="$VERSION_CODENAME" \
  -o APT::FTPArchive::Release::Architectures="$arch" \
  -o APT::FTPArchive::Release::Components=main \
  release "$repo/dists/$VERSION_CODENAME" > "$work/Release"
mv "$work/Release" "$repo/dists/$VERSION_CODENAME/Release"

export GNUPGHOME=$work/gnupg
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'vppkit FD.io stand-in <fdio-stand-in@vppkit.invalid>' rsa3072 sign never
gpg --batch --quiet --armor --export > "$out/gpgkey"
gpg --batch --quiet --yes --clearsign -o "$repo/dists/$VERSION_CODENAME/InRelease" "$repo/dists/$VERSION_CODENAME/Release"
gpg --batch --quiet --yes --armor --detach-sign -o "$repo/dists/$VERSION_CODENAME/Release.gpg" "$repo/dists/$VERSION_CODENAME/Release"
[ -z "${OUT_OWNER:-}" ] || chown -R "$OUT_OWNER" "$out"
echo "== done: $(find "$repo/pool" -name '*.deb' | wc -l) packages in $repo"
