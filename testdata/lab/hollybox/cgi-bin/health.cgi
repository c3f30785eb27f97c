#!/bin/sh
# Hollybox: the load balancer's probe
. /srv/hollybox/cgi-bin/lib/common.sh
hb_header text/plain
df -P "$HB/shares" | tail -n 1
uptime
