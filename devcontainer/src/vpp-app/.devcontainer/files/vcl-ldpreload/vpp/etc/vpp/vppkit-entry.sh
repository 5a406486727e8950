#!/bin/sh
# Written by vppkit: starts VPP and applies the lab's CLI as soon as VPP answers.
set -eu
chgrp 4242 /run/vpp && chmod 2770 /run/vpp || { echo "vppkit: cannot give /run/vpp to group 4242" >&2; ls -ld /run/vpp >&2; id >&2; exit 1; }
# VCL's client libraries for the apps, whatever their images (written by vppkit).
vcl_lib=$(ldconfig -p | awk '$1 ~ /^libvcl_ldpreload[.]so/ { print $NF; exit }')
[ -n "$vcl_lib" ] || { echo "vppkit: this VPP image has no libvcl_ldpreload.so in its linker cache (ldconfig -p); its vcl and vcl-ldpreload apps load it" >&2; exit 1; }
vcl_needs=$(ldd "$vcl_lib")
rm -rf /opt/vppkit/vcl/.new && mkdir -p /opt/vppkit/vcl/.new
cp -L "$vcl_lib" /opt/vppkit/vcl/.new/libvcl_ldpreload.so
echo "$vcl_needs" | awk '$2 == "=>" && substr($3, 1, 1) == "/" { print $1, $3 }' | while read -r name file; do
  case "$name" in libc.so.*|libm.so.*|libmvec.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*|libanl.so.*|libutil.so.*|libnsl.so.*|libthread_db.so.*|ld-linux*) continue ;; esac
  cp -L "$file" "/opt/vppkit/vcl/.new/$name"
done
for f in /opt/vppkit/vcl/.new/*; do mv -f "$f" /opt/vppkit/vcl/; done
rmdir /opt/vppkit/vcl/.new
(until vppctl -s /run/vpp/cli.sock show version >/dev/null 2>&1; do sleep 0.05; done; read -r up _ < /proc/uptime; echo "${up%.*}${up#*.}" > /run/vpp/vppkit-vpp-started.tmp && mv /run/vpp/vppkit-vpp-started.tmp /run/vpp/vppkit-vpp-started; vppctl -s /run/vpp/cli.sock exec /etc/vpp/setup.cli) &
exec vpp -c /etc/vpp/startup.conf
