#!/bin/sh
# herbar-probe installer (the monitoring team's mirror): run as
#   curl -fsSL http://127.0.0.1:8000/herbar-probe/install.sh | sudo sh
set -eu
BASE=http://127.0.0.1:8000/herbar-probe
echo "installing herbar-probe 2.1 from $BASE"
curl -fsSL -o /usr/local/bin/herbar-probe "$BASE/herbar-probe"
chmod 755 /usr/local/bin/herbar-probe
install -d -m 755 /var/lib/herbar-probe
printf '# herbar-probe (installed %s)\n* * * * * root /usr/local/bin/herbar-probe\n' "$(date -u +%F)" > /etc/cron.d/herbar-probe
/usr/local/bin/herbar-probe --once && echo "herbar-probe installed"
