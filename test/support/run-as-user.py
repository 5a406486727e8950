#!/usr/bin/env python3
"""Runs a command as a user would: on a pseudo-terminal (--tty), or with its output piped. With
--interrupt-at, once its output matches that pattern it is interrupted as a user would: on the
terminal by typing Ctrl-C (the terminal turns it into SIGINT for the foreground process group),
without one by sending SIGINT. Prints one JSON line: the exit code, whether the pattern was seen,
and everything the command wrote (stdout and stderr together).
usage: run-as-user.py [--tty] [--interrupt-at <pattern>] <timeout s> -- <command> [args...]"""
import json, os, pty, re, select, signal, subprocess, sys, time

args = sys.argv[1:]
command = args[args.index('--') + 1:]
options = args[:args.index('--')]
tty = '--tty' in options
pattern = re.compile(options[options.index('--interrupt-at') + 1]) if '--interrupt-at' in options else None
deadline = time.time() + float(options[-1])
output = b''
seen = False


def interrupt_due():
    """True once, when the output first matches the pattern."""
    global seen
    if pattern is None or seen or not pattern.search(output.decode(errors='replace')):
        return False
    seen = True
    return True


if tty:
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)

    def read_some(wait):
        """Reads what is there; False once the terminal is closed (the command has exited)."""
        global output
        if select.select([fd], [], [], wait)[0]:
            try:
                output += os.read(fd, 65536)
            except OSError:
                return False
        return True

    done, status = 0, 0
    while time.time() < deadline:
        if not read_some(0.05):
            break
        if interrupt_due():
            os.write(fd, b'\x03')
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    if not done:
        if time.time() >= deadline:
            os.kill(pid, signal.SIGKILL)
        done, status = os.waitpid(pid, 0)
    while read_some(0.2) and select.select([fd], [], [], 0)[0]:
        pass
    code = os.waitstatus_to_exitcode(status)
else:
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.set_blocking(child.stdout.fileno(), False)
    while time.time() < deadline and child.poll() is None:
        if select.select([child.stdout], [], [], 0.05)[0]:
            output += child.stdout.read() or b''
        if interrupt_due():
            child.send_signal(signal.SIGINT)
    if child.poll() is None:
        child.kill()
    child.wait()
    output += child.stdout.read() or b''
    code = child.returncode

print(json.dumps({'code': code, 'seen': seen, 'output': output.decode(errors='replace')}))
