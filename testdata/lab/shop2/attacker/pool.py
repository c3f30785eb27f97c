#!/usr/bin/python3
"""Lab "mining pool": a stratum-like JSON-lines server on 127.0.0.1 (runs as
labremote). Answers login with a job and submit with OK, pushes a new job
every 10 s, logs every line to --out. When the file --drop exists it closes
every open connection once (the watchdog's relaunch is then seen) and
removes the file. Stops after --lifetime seconds."""
import argparse, json, os, select, socket, time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, default=3333)
p.add_argument("--out", required=True)
p.add_argument("--drop", required=True)
p.add_argument("--lifetime", type=float, default=400)
a = p.parse_args()

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", a.port))
srv.listen(8)
conns, bufs, end, job, last_job = [], {}, time.time() + a.lifetime, 1, time.time()
log = open(a.out, "a", buffering=1)


def send(c, obj):
    try:
        c.sendall((json.dumps(obj) + "\n").encode())
    except OSError:
        pass


def jobmsg():
    return {"job_id": str(job), "blob": "0e0e" + "%060x" % job, "target": "b88d0600", "algo": "rx/0", "height": 3100000 + job}


while time.time() < end:
    r, _, _ = select.select([srv] + conns, [], [], 0.5)
    for s in r:
        if s is srv:
            c, addr = srv.accept()
            conns.append(c); bufs[c] = b""
            log.write("%.6f connect %s:%d\n" % (time.time(), addr[0], addr[1]))
            continue
        data = s.recv(4096)
        if not data:
            log.write("%.6f close\n" % time.time())
            conns.remove(s); bufs.pop(s, None); s.close()
            continue
        bufs[s] += data
        while b"\n" in bufs[s]:
            line, bufs[s] = bufs[s].split(b"\n", 1)
            log.write("%.6f recv %s\n" % (time.time(), line.decode(errors="replace")))
            try:
                m = json.loads(line)
            except ValueError:
                continue
            if m.get("method") == "login":
                send(s, {"id": m.get("id"), "jsonrpc": "2.0", "error": None,
                         "result": {"id": "lab-worker", "job": jobmsg(), "status": "OK"}})
            elif m.get("method") == "submit":
                send(s, {"id": m.get("id"), "jsonrpc": "2.0", "error": None, "result": {"status": "OK"}})
    if time.time() - last_job >= 10:
        job += 1; last_job = time.time()
        for c in conns:
            send(c, {"jsonrpc": "2.0", "method": "job", "params": jobmsg()})
    if os.path.exists(a.drop):
        os.unlink(a.drop)
        for c in conns:
            log.write("%.6f drop\n" % time.time())
            c.close()
        conns, bufs = [], {}
for c in conns:
    c.close()
