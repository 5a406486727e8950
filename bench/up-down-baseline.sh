#!/bin/sh
# The anchor for `vppkit up` + `vppkit down`: the same two containers and volume by the docker CLI
# alone. VPP (same image, capabilities, command and files) is created, started and waited for until
# its CLI answers, the app is started beside it on the shared socket volume, then everything goes.
# usage: up-down-baseline.sh <vpp image> <app image> <folder with the VPP container's files>
set -eu
vpp_image=$1 app_image=$2 files=$3 name=anchor$$
docker volume create "${name}_run" >/dev/null
docker create --name "${name}_vpp" --cap-drop ALL --cap-add IPC_LOCK --cap-add SYS_NICE -v "${name}_run:/run/vpp" \
  "$vpp_image" /bin/sh /etc/vpp/vppkit-entry.sh >/dev/null
docker cp "$files/." "${name}_vpp:/"
docker start "${name}_vpp" >/dev/null
until docker exec "${name}_vpp" vppctl -s /run/vpp/cli.sock show version >/dev/null 2>&1; do sleep 0.1; done
docker run -d --name "${name}_app" -v "${name}_run:/run/vpp" "$app_image" >/dev/null
docker rm -f "${name}_app" "${name}_vpp" >/dev/null
docker volume rm "${name}_run" >/dev/null
