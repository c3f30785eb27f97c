"""netdiag plugin: the latency dashboard's JSON (pure Python, no exec)."""
import json
import socket
import time

ROUTE = "/api/x/latency"


def handle(environ):
    t0 = time.time()
    s = socket.create_connection(("127.0.0.1", 22), timeout=2)
    s.close()
    return "200 OK", json.dumps({"target": "127.0.0.1:22", "connect_ms": round((time.time() - t0) * 1000, 2)})
