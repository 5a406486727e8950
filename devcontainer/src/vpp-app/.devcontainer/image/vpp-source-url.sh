#!/bin/sh
# vpp-source-url.sh <url template> <version of FD.io's vpp package>
#
# Prints where VPP's source for that package version is: the template with {ref} replaced by the git
# ref FD.io built the version from. libmemif is not packaged by FD.io, so the app-dev image builds it
# from that source; the version is known only once apt has installed VPP, hence a script run at build
# time. FD.io's versions come from VPP's src/scripts/version (git describe of the nearest v* tag):
#
#   26.06-release              on tag v26.06                         -> v26.06
#   25.10.1-release            on tag v25.10.1                       -> v25.10.1
#   25.10.0-15~g6ec2735dd      15 commits after v25.10 (".0" added)  -> 6ec2735dd
#   26.10-rc1~0-gabc1234       on tag v26.10-rc1                     -> v26.10-rc1
#   26.10-rc1~5-gabc1234       5 commits after v26.10-rc1            -> abc1234
#
# A build between tags has no tag of its own: its commit is the only ref that names its source. A
# "~b<n>" (CI build number) or "-dirty" suffix says nothing about the source and is ignored.
# A template without {ref} is used as it is, whatever the version.
set -eu

if [ $# -ne 2 ]; then
  echo 'usage: vpp-source-url.sh <url template> <version of the vpp package>' >&2
  exit 2
fi
template=$1
version=$2

case $template in
  *'{ref}'*) ;;
  *) printf '%s\n' "$template"; exit 0 ;;
esac

# Debian allows an epoch ("1:"); FD.io uses none, but a rebuild might.
upstream=${version#*:}
ref=$(printf '%s\n' "$upstream" | sed -nE \
  -e 's/^([0-9]+\.[0-9]+(\.[0-9]+)?)-release(~b[0-9]+)?$/v\1/p' \
  -e 's/^([0-9]+\.[0-9]+)-(rc[0-9]+)~0-g[0-9a-f]{7,40}(-dirty)?(~b[0-9]+)?$/v\1-\2/p' \
  -e 's/^[0-9]+\.[0-9]+(\.[0-9]+)?-(rc[0-9]+~)?[1-9][0-9]*[~-]g([0-9a-f]{7,40})(-dirty)?(~b[0-9]+)?$/\3/p')

if [ -z "$ref" ]; then
  echo "vpp-source-url.sh: cannot tell which VPP source built package version \"$version\" (FD.io's look like 26.06-release or 25.10.0-15~g6ec2735dd); give a source tarball URL without {ref}" >&2
  exit 1
fi
printf '%s\n' "$template" | sed "s|{ref}|$ref|g"
