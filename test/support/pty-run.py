#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as in a user's terminal, and prints one JSON line: its exit
code and everything it wrote. usage: pty-run.py <timeout s> -- <command> [args...]"""
import json, os, pty, select, signal, sys, time

timeout = float(sys.argv[1])
command = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
deadline, output = time.time() + timeout, b''
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            output += os.read(fd, 65536)
        except OSError:
            break
    elif os.waitpid(pid, os.WNOHANG)[0]:
        break
else:
    os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'output': output.decode(errors='replace')}))
