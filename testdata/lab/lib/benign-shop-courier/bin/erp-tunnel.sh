#!/bin/sh
# www-data's tunnel to the ERP (only reachable through its bastion): kept up
# by cron; the shop's back office reads the stock through 127.0.0.1:15432.
LOG=/var/log/shop-rma/erp-tunnel.log
if nc -z -w 2 127.0.0.1 15432 2>/dev/null; then
  exit 0
fi
echo "$(date -u +%FT%TZ) tunnel down, starting" >> "$LOG"
ssh -f -N -o ExitOnForwardFailure=yes -o ServerAliveInterval=30 -L 127.0.0.1:15432:127.0.0.1:9353 erp-bastion >> "$LOG" 2>&1
echo "$(date -u +%FT%TZ) ssh exit $?" >> "$LOG"
