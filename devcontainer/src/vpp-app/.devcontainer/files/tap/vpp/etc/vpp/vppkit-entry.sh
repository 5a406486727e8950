#!/bin/sh
# Written by vppkit: starts VPP and applies the lab's CLI as soon as VPP answers.
set -eu
chgrp 4242 /run/vpp && chmod 2770 /run/vpp || { echo "vppkit: cannot give /run/vpp to group 4242" >&2; ls -ld /run/vpp >&2; id >&2; exit 1; }
(until vppctl -s /run/vpp/cli.sock show version >/dev/null 2>&1; do sleep 0.05; done; read -r up _ < /proc/uptime; echo "${up%.*}${up#*.}" > /run/vpp/vppkit-vpp-started.tmp && mv /run/vpp/vppkit-vpp-started.tmp /run/vpp/vppkit-vpp-started; vppctl -s /run/vpp/cli.sock exec /etc/vpp/setup.cli) &
exec vpp -c /etc/vpp/startup.conf
