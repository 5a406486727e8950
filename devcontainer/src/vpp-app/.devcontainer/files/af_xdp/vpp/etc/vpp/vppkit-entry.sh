#!/bin/sh
# Written by vppkit: starts VPP and applies the lab's CLI as soon as VPP answers.
set -eu
chgrp 4242 /run/vpp && chmod 2770 /run/vpp || { echo "vppkit: cannot give /run/vpp to group 4242" >&2; ls -ld /run/vpp >&2; id >&2; exit 1; }
ifname_with() {
  ip -o -4 addr show | awk -v want="$1" '{ split($4, a, "/"); if (a[1] == want) { print $2; exit } }'
}
XDP_0=$(ifname_with 10.98.1.253)
[ -n "$XDP_0" ] || { echo "vppkit: no interface has 10.98.1.253" >&2; ip -o -4 addr show >&2; exit 1; }
sed -e "s/@XDP_0@/$XDP_0/g" /etc/vpp/setup.cli > /etc/vpp/setup.resolved.cli
(until vppctl -s /run/vpp/cli.sock show version >/dev/null 2>&1; do sleep 0.05; done; read -r up _ < /proc/uptime; echo "${up%.*}${up#*.}" > /run/vpp/vppkit-vpp-started.tmp && mv /run/vpp/vppkit-vpp-started.tmp /run/vpp/vppkit-vpp-started; vppctl -s /run/vpp/cli.sock exec /etc/vpp/setup.resolved.cli) &
exec vpp -c /etc/vpp/startup.conf
