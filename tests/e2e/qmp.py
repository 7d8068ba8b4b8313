#!/usr/bin/python3
"""qmp.py SOCKET COMMAND: sends COMMAND (one line of JSON, sent as given) to
the QMP server at SOCKET after qmp_capabilities and prints QEMU's answer;
exits non-zero, saying why, when QEMU answers with "error" or not at all.
Python 3's standard library only (Debian 12's python3 suffices)."""
import json
import os
import socket
import sys


def answer(conn):
    """The next answer to a command, skipping the events QEMU sends between."""
    while True:
        line = conn.readline()
        if not line:
            sys.exit("qmp: QEMU closed the connection")
        message = json.loads(line)
        if "return" in message or "error" in message:
            return message


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: qmp.py SOCKET COMMAND")
    path, command = sys.argv[1], sys.argv[2].strip()
    try:
        json.loads(command)
    except ValueError as e:
        sys.exit(f"qmp: COMMAND is not JSON ({e}): {command!r}")
    if "\n" in command:
        sys.exit("qmp: COMMAND must be one line")
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(60)
    # A socket's path holds at most 107 bytes; its directory's may be longer.
    try:
        os.chdir(os.path.dirname(path) or ".")
        sock.connect(os.path.basename(path))
    except OSError as e:
        sys.exit(f"qmp: cannot connect to {path}: {e}")
    conn = sock.makefile("rw")
    if "QMP" not in json.loads(conn.readline() or "{}"):
        sys.exit("qmp: no QMP greeting")
    for line in ('{"execute":"qmp_capabilities"}', command):
        conn.write(line + "\n")
        conn.flush()
        reply = answer(conn)
        if "error" in reply:
            sys.exit(f"qmp: {line} failed: {json.dumps(reply['error'])}")
    print(json.dumps(reply))


main()
