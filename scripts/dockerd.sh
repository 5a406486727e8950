#!/usr/bin/env bash
# Start or stop a Docker daemon for development and CI on a machine where none runs as a service.
# The daemon logs to a file, never to our stdout, so nothing that reads our output waits on it.
#   scripts/dockerd.sh start   start dockerd unless an engine already answers; wait until it does
#   scripts/dockerd.sh stop    stop the dockerd that `start` started (and only that one)
set -euo pipefail

STATE_DIR=${VPPKIT_STATE_DIR:-/var/lib/vppkit}
PID_FILE=$STATE_DIR/dockerd.pid
LOG_FILE=${VPPKIT_DOCKERD_LOG:-/var/log/vppkit-dockerd.log}
WAIT_SECONDS=${VPPKIT_DOCKERD_WAIT:-60}

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
  if engine_answers; then
    echo "dockerd: an engine already answers ($(docker version --format '{{.Server.Version}}'))"
    return 0
  fi
  command -v dockerd >/dev/null || { echo "dockerd: not installed (apt-get install docker.io)" >&2; return 1; }
  mkdir -p "$STATE_DIR" "$(dirname "$LOG_FILE")"
  # setsid + closed stdin/stdout: the daemon must not hold our pipes open after we exit.
  setsid dockerd </dev/null >>"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    if engine_answers; then
      echo "dockerd: started (pid $(cat "$PID_FILE"), engine $(docker version --format '{{.Server.Version}}'), log $LOG_FILE)"
      return 0
    fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "dockerd: exited during start-up; last lines of $LOG_FILE:" >&2
      tail -n 20 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      return 1
    fi
    sleep 0.5
  done
  echo "dockerd: no answer after ${WAIT_SECONDS}s; last lines of $LOG_FILE:" >&2
  tail -n 20 "$LOG_FILE" >&2
  return 1
}

stop() {
  [ -f "$PID_FILE" ] || { echo "dockerd: not started by this script; leaving it alone"; return 0; }
  local pid
  pid=$(cat "$PID_FILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  # dockerd starts containerd as a child; make sure neither outlives us.
  pkill -TERM -f "containerd --config /var/run/docker/containerd" 2>/dev/null || true
  rm -f "$PID_FILE"
  echo "dockerd: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
