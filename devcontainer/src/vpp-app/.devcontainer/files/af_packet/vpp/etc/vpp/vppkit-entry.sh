#!/bin/sh
# Written by vppkit: fills in interface names only known inside this container, then starts VPP.
set -eu
ifname_with() {
  ip -o -4 addr show | awk -v want="$1" '{ split($4, a, "/"); if (a[1] == want) { print $2; exit } }'
}
PKT_0=$(ifname_with 10.98.1.253)
[ -n "$PKT_0" ] || { echo "vppkit: no interface has 10.98.1.253" >&2; ip -o -4 addr show >&2; exit 1; }
sed -e "s/@PKT_0@/$PKT_0/g" /etc/vpp/setup.cli > /etc/vpp/setup.resolved.cli
exec vpp -c /etc/vpp/startup.conf
