"""The mill worker (gypsum): jobs from the case tracker over a multiprocessing
connection (127.0.0.1, the shared authkey); each job is written to the queue
and nested into a toolpath by /usr/local/bin/mill-nest."""
import json
import os
import subprocess
import time
from multiprocessing.connection import AuthenticationError, Listener

from millrun import CONF_PATH, SPOOL


def log(msg):
    with open("/var/log/millrun/worker.log", "a") as f:
        f.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), msg))


def handle(job):
    if not isinstance(job, dict) or "case" not in job:
        raise ValueError("not a job: %r" % (job,))
    jid = "J-%s-%d" % (job["case"], int(time.time() * 1000) % 10 ** 7)
    path = "%s/queue/%s.json" % (SPOOL, jid)
    with open(path, "w") as f:
        json.dump(dict(job, id=jid), f)
    subprocess.run(["/usr/local/bin/mill-nest", path], check=True, timeout=60)
    os.rename(path, "%s/done/%s.json" % (SPOOL, jid))
    return {"id": jid, "status": "nested"}


def main():
    conf = json.load(open(CONF_PATH))
    listener = Listener(("127.0.0.1", conf["port"]), authkey=conf["authkey"].encode())
    log("listening on 127.0.0.1:%d (pid %d)" % (conf["port"], os.getpid()))
    while True:
        try:
            conn = listener.accept()
        except AuthenticationError as e:
            log("refused a client: %s" % e)
            continue
        except OSError as e:
            log("accept: %s" % e)
            continue
        try:
            job = conn.recv()
            answer = handle(job)
            log("job %s %s" % (answer["id"], job.get("material")))
            conn.send(answer)
        except Exception as e:  # a bad job never stops the mill
            log("bad job: %s: %s" % (type(e).__name__, e))
            try:
                conn.send({"error": type(e).__name__})
            except OSError:
                pass
        finally:
            conn.close()


if __name__ == "__main__":
    main()
