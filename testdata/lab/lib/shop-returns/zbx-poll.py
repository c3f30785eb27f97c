#!/usr/bin/python3
"""The ops team's Zabbix server, as far as this host sees it (labremote):
passive checks of the agent on 127.0.0.1:10050 every INTERVAL seconds until
STOPFILE exists; ad-hoc keys from the command line with --once KEY...
Every value goes to LOG (time, key, value)."""
import argparse, os, socket, struct, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--log", required=True)
ap.add_argument("--interval", type=float, default=15)
ap.add_argument("--stop")
ap.add_argument("--once", nargs="*")
a = ap.parse_args()
ITEMS = ["agent.ping", "system.cpu.load[all,avg1]", "vfs.fs.size[/,pfree]", "proc.num[php-fpm8.2]",
         "net.tcp.service[http,127.0.0.1,80]", "shop.fpm.workers", "shop.claims.pending", "shop.claims.quarantined"]


def get(key):
    s = socket.create_connection(("127.0.0.1", 10050), timeout=10)
    k = key.encode()
    s.sendall(b"ZBXD\x01" + struct.pack("<II", len(k), 0) + k)
    b = b""
    while True:
        c = s.recv(65536)
        if not c:
            break
        b += c
    s.close()
    return b[13:].decode("utf-8", "replace") if b[:4] == b"ZBXD" else b.decode("utf-8", "replace")


def poll(keys):
    with open(a.log, "a") as f:
        for k in keys:
            try:
                v = get(k)
            except OSError as e:
                v = "(error %s)" % e
            f.write("%s\t%s\t%s\n" % (time.strftime("%H:%M:%S"), k, v.replace("\n", "\\n")[:300]))
            f.flush()


if a.once:
    poll(a.once)
    sys.exit(0)
for i in range(200):
    if a.stop and os.path.exists(a.stop):
        break
    poll(ITEMS if i % 2 == 0 else ITEMS[:6])
    time.sleep(a.interval)
