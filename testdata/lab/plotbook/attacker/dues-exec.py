# run in the plotbook worker (X-Plot-Sync py): one uwsgi packet to the dues vassal's socket, UWSGI_FILE=exec://CMD:
# the dues worker (plotcash) runs CMD to "load" it as an app
import socket, struct
CMD = "@CMD@"
env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "REQUEST_URI": "/", "QUERY_STRING": "", "SERVER_NAME": "plots.lab.local",
       "SERVER_PORT": "80", "HTTP_HOST": "plots.lab.local", "SCRIPT_NAME": "/sync", "UWSGI_FILE": "exec://" + CMD}
b = b"".join(struct.pack("<H", len(k)) + k.encode() + struct.pack("<H", len(v)) + v.encode() for k, v in env.items())
s = socket.socket(socket.AF_UNIX)
s.connect("/run/plotdues/dues.sock")
s.sendall(struct.pack("<BHB", 0, len(b), 0) + b)
print(s.recv(200))
