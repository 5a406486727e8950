#!/usr/bin/env python3
"""Runs a command, waits until its output matches a pattern, then interrupts it as a user would:
on a pseudo-terminal (--tty) by typing Ctrl-C, which the terminal turns into SIGINT for the
foreground process group; without one by sending SIGINT. Prints one JSON line: the exit code, the
signal that ended it (if any), whether the pattern was seen, and the output.
usage: interrupt-run.py [--tty] <pattern> <timeout s> -- <command> [args...]"""
import json, os, pty, re, select, signal, subprocess, sys, time

args = sys.argv[1:]
tty = args[0] == '--tty'
if tty:
    args = args[1:]
pattern, timeout = re.compile(args[0]), float(args[1])
command = args[args.index('--') + 1:]
deadline = time.time() + timeout
output = b''
seen = False

if tty:
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    def read_some():
        global output
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                output += os.read(fd, 65536)
            except OSError:
                return False
        return True
    done, status = 0, 0
    while time.time() < deadline:
        if not read_some():
            break
        if not seen and pattern.search(output.decode(errors='replace')):
            seen = True
            os.write(fd, b'\x03')
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    if not done:
        if time.time() >= deadline:
            os.kill(pid, signal.SIGKILL)
        done, status = os.waitpid(pid, 0)
    while read_some() and select.select([fd], [], [], 0.2)[0]:
        pass
    code = os.waitstatus_to_exitcode(status)
else:
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.set_blocking(child.stdout.fileno(), False)
    while time.time() < deadline and child.poll() is None:
        ready, _, _ = select.select([child.stdout], [], [], 0.05)
        if ready:
            output += child.stdout.read() or b''
        if not seen and pattern.search(output.decode(errors='replace')):
            seen = True
            child.send_signal(signal.SIGINT)
    if child.poll() is None:
        child.kill()
    child.wait()
    output += child.stdout.read() or b''
    code = child.returncode

print(json.dumps({'code': code, 'seen': seen, 'output': output.decode(errors='replace')}))
