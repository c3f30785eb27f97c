#!/bin/sh
# Hollybox 3.2.2: the front page (the shares and their sizes)
. /srv/hollybox/cgi-bin/lib/common.sh
hb_header
printf '<!doctype html><html><head><title>Hollybox - Marsh &amp; Reed Architects</title><link rel="stylesheet" href="/static/hb.css"></head><body>\n'
printf '<h1>Hollybox</h1><p>Marsh &amp; Reed Architects - file shares (<a href="/cgi-bin/quota.cgi">sizes</a>)</p><ul>\n'
for d in "$HB"/shares/*/; do
  n=${d%/}; n=${n##*/}
  printf '<li><a href="/cgi-bin/export.cgi?share=%s">%s</a></li>\n' "$n" "$n"
done
printf '</ul><pre>\n'
ls -1 "$HB/shares/projects" | head -n 12
printf '</pre></body></html>\n'
