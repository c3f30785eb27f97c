#!/bin/sh
# Hollybox 3.2.2: the shares' sizes (du -sk), for the office manager
. /srv/hollybox/cgi-bin/lib/common.sh
hb_header text/plain
for d in "$HB"/shares/*/; do
  n=${d%/}; n=${n##*/}
  printf '%-10s %s KiB\n' "$n" "$(du -sk "$d" | cut -f1)"
done
