#!/usr/bin/env python3
"""Lab tooling: a minimal FastCGI client (the scenarios shop-cartcache and
benign-shop-checkout). One request to a php-fpm listener over TCP; prints
what php-fpm answered on FCGI_STDOUT (headers + body) and FCGI_STDERR.

  fcgi.py --addr 127.0.0.1:9000 --script /path/x.php [--uri /x] [--method GET]
          [--query a=b] [--param NAME=VALUE ...] [--body-file F | --body TEXT]
"""
import argparse
import socket
import struct
import sys


def rec(t, rid, content):
    out = b""
    while True:
        chunk, content = content[:65535], content[65535:]
        out += struct.pack("!BBHHBx", 1, t, rid, len(chunk), 0) + chunk
        if not content:
            return out


def nv(name, value):
    n, v = name.encode(), value.encode()
    def ln(x):
        return struct.pack("!B", len(x)) if len(x) < 128 else struct.pack("!I", len(x) | 0x80000000)
    return ln(n) + ln(v) + n + v


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", default="127.0.0.1:9000")
    p.add_argument("--script", required=True)
    p.add_argument("--uri")
    p.add_argument("--method", default="GET")
    p.add_argument("--query", default="")
    p.add_argument("--param", action="append", default=[])
    p.add_argument("--body")
    p.add_argument("--body-file")
    p.add_argument("--timeout", type=float, default=15)
    a = p.parse_args()
    body = b""
    if a.body_file:
        body = open(a.body_file, "rb").read()
    elif a.body is not None:
        body = a.body.encode()
    host, port = a.addr.rsplit(":", 1)
    uri = a.uri or a.script
    params = {
        "GATEWAY_INTERFACE": "FastCGI/1.0", "REQUEST_METHOD": a.method, "SCRIPT_FILENAME": a.script,
        "SCRIPT_NAME": uri, "REQUEST_URI": uri + ("?" + a.query if a.query else ""), "QUERY_STRING": a.query,
        "DOCUMENT_ROOT": "/var/www/html", "SERVER_SOFTWARE": "fcgi-client/1.0", "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000", "SERVER_ADDR": "127.0.0.1", "SERVER_PORT": "80", "SERVER_NAME": "localhost",
        "SERVER_PROTOCOL": "HTTP/1.1", "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
    }
    for kv in a.param:
        k, v = kv.split("=", 1)
        params[k] = v.replace("\\n", "\n")
    payload = b"".join(nv(k, v) for k, v in params.items())
    msg = rec(1, 1, struct.pack("!HB5x", 1, 0)) + rec(4, 1, payload) + rec(4, 1, b"")
    if body:
        msg += rec(5, 1, body)
    msg += rec(5, 1, b"")
    s = socket.create_connection((host, int(port)), timeout=a.timeout)
    s.sendall(msg)
    buf, out, err = b"", b"", b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
        while len(buf) >= 8:
            _, t, _, clen, plen = struct.unpack("!BBHHB", buf[:7])
            if len(buf) < 8 + clen + plen:
                break
            c, buf = buf[8:8 + clen], buf[8 + clen + plen:]
            if t == 6:
                out += c
            elif t == 7:
                err += c
            elif t == 3:
                buf = b""
                break
        else:
            continue
    s.close()
    sys.stdout.write(out.decode("utf-8", "replace"))
    if err:
        sys.stdout.write("\n[stderr] " + err.decode("utf-8", "replace"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
