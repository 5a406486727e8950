#!/bin/sh
# Written by vppkit: starts VPP and applies the lab's CLI as soon as VPP answers.
set -eu
(until vppctl -s /run/vpp/cli.sock show version >/dev/null 2>&1; do sleep 0.05; done; vppctl -s /run/vpp/cli.sock exec /etc/vpp/setup.cli) &
exec vpp -c /etc/vpp/startup.conf
