#!/bin/bash
# Victim-side install of scenario-benign-cragboard: the Cragboard stack of
# lib/cragboard-setup.sh (a plain Node.js app under Phusion Passenger 6.0 in
# Apache 2.4, app processes as cragboard 2191, the front desk's till sync as
# cragdesk 2192) with the day's additions (cragboard/day/): Passenger's
# process recycling (PassengerMaxRequests) and idle shutdown
# (PassengerPoolIdleTime) in the lab's Apache config (Apache restarted once,
# before the capture), the app's logrotate file (size-based; postrotate:
# Apache USR1), root's housekeeping cron file (logrotate, stale exports and
# waivers removed), cragboard's crontab with a thumbnail cache clean-up,
# cragdesk's crontab (the spool archived by sudo node rotate-spool.js),
# alice's key for the backup host (accepted by labremote with
# restrict,from="127.0.0.1"), the key of Kai, the co-op's volunteer
# developer, as a file alice received (she adds it to cragboard's
# authorized_keys during the day; his private key is labremote's). Nothing
# is changed in the shared lib/cragboard-setup.sh. As root; idempotent.
#   benign-cragboard-setup.sh install   lib/cragboard-setup.sh install, then the day's files
#   benign-cragboard-setup.sh clean     the day's files (and what the day's admin added: the helper in
#                                       /usr/local/bin, cron.d/cragboard-passes), the keys, then
#                                       lib/cragboard-setup.sh clean (accounts, files, packages purged)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

DAY=$LAB_DIR/cragboard/day
K=$STATE/keys
KEEP=$STATE/benign-cragboard
CONF=/etc/apache2/cragboard-lab.conf
APID=$RUN/cragboard-apache.pid

restart_apache() { # stop the lab's Apache by its pid file (Passenger's watchdog ends the core and the app) and start it again
  local i
  stop_pidfile $APID apache2-cragboard
  for i in $(seq 1 50); do ss -Hltn 'sport = :8260' | grep -q . || break; sleep 0.2; done
  sleep 1
  /usr/sbin/apache2 -f $CONF -t >/dev/null 2>&1 || die "apache2 -t failed for $CONF"
  log "starting apache2 + passenger again (the day's Passenger settings)"
  setsid env -i "${SVC_ENV[@]}" /usr/sbin/apache2 -f $CONF -DFOREGROUND < /dev/null >> /var/log/cragboard/apache2.out 2>&1 &
  echo $! > $APID
  wait_port 8260
  for i in $(seq 1 60); do curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8260/healthz | grep -q 200 && break; sleep 0.5; done
}

install_day() {
  "$LAB_DIR/lib/cragboard-setup.sh" install
  install -d -m 700 "$KEEP"; touch "$KEEP/installed"
  # Passenger: an app process is replaced after 300 requests, an idle extra one shut down after 90 s
  if ! grep -q '^PassengerMaxRequests' $CONF; then
    sed -i -e '/^PassengerDisableAnonymousTelemetry/a PassengerPoolIdleTime 90' \
      -e '/^    PassengerMinInstances 1$/a \    PassengerMaxRequests 300' $CONF
    grep -q '^    PassengerMaxRequests 300$' $CONF && grep -q '^PassengerPoolIdleTime 90$' $CONF || die "the day's Passenger settings did not go in"
    restart_apache
  fi
  install -m 644 "$DAY/logrotate-cragboard" /etc/logrotate.d/cragboard
  install -m 644 "$DAY/cron.d-cragboard-day" /etc/cron.d/cragboard-day
  rm -f /var/lib/logrotate/cragboard.status
  crontab -u cragboard "$DAY/crontab-cragboard-day"
  crontab -u cragdesk "$DAY/crontab-cragdesk-day"
  install -o cragdesk -g cragdesk -m 644 /dev/null /var/log/cragdesk/rotate.log
  # alice's key for the backup host (labremote), accepted only from 127.0.0.1
  install -d -o alice -g alice -m 700 /home/alice/.ssh
  [ -e /home/alice/.ssh/id_backup ] || sudo -u alice ssh-keygen -q -t ed25519 -N '' -C 'alice@cragboard backup' -f /home/alice/.ssh/id_backup
  install -d -o labremote -g labremote -m 700 /home/labremote/.ssh
  install -d -o labremote -g labremote -m 755 /home/labremote/cragboard-backups
  [ -e /home/labremote/.ssh/authorized_keys ] && [ ! -e "$KEEP/labremote.authorized_keys" ] && \
    cp -p /home/labremote/.ssh/authorized_keys "$KEEP/labremote.authorized_keys"
  grep -q "$(cut -d' ' -f2 /home/alice/.ssh/id_backup.pub)" /home/labremote/.ssh/authorized_keys 2>/dev/null || \
    printf 'restrict,from="127.0.0.1" %s\n' "$(cat /home/alice/.ssh/id_backup.pub)" >> /home/labremote/.ssh/authorized_keys
  chown labremote:labremote /home/labremote/.ssh/authorized_keys; chmod 600 /home/labremote/.ssh/authorized_keys
  # cragboard's (empty) ssh folder exists before the capture, so the audit watch on it loads
  install -d -o cragboard -g cragboard -m 700 /home/cragboard/.ssh
  # Kai's key: the public half as the file he mailed alice, the private half his (labremote's)
  install -d -m 700 "$K"
  [ -e $K/kai_cragboard ] || ssh-keygen -q -t ed25519 -N '' -C 'kai@millstone-edge-dev' -f $K/kai_cragboard
  install -o alice -g alice -m 644 $K/kai_cragboard.pub /home/alice/kai-laptop.pub
  install -o labremote -g labremote -m 600 $K/kai_cragboard /home/labremote/.ssh/kai_cragboard
  log "benign-cragboard: day files installed; $(grep -c '^ *Passenger' $CONF) Passenger directives"
}

clean_day() {
  set +e
  rm -f /etc/logrotate.d/cragboard /etc/cron.d/cragboard-day /etc/cron.d/cragboard-passes /usr/local/bin/cragboard-passes \
    /var/lib/logrotate/cragboard.status /home/alice/kai-laptop.pub /home/alice/id_backup /home/alice/.ssh/id_backup \
    /home/alice/.ssh/id_backup.pub /home/labremote/.ssh/kai_cragboard /tmp/cragboard-settings-*.tar.gz /tmp/cragboard-passes
  rm -rf /home/labremote/cragboard-backups /tmp/cragboard-3.2.1
  crontab -r -u cragdesk 2>/dev/null
  if [ -e "$KEEP/labremote.authorized_keys" ]; then
    cp -p "$KEEP/labremote.authorized_keys" /home/labremote/.ssh/authorized_keys
  elif [ -e /home/labremote/.ssh/authorized_keys ]; then
    sed -i '/alice@cragboard backup/d' /home/labremote/.ssh/authorized_keys
    [ -s /home/labremote/.ssh/authorized_keys ] || rm -f /home/labremote/.ssh/authorized_keys
  fi
  rm -f $K/kai_cragboard $K/kai_cragboard.pub
  rm -rf "$KEEP"
  set -e
  "$LAB_DIR/lib/cragboard-setup.sh" clean "${1:-}"
}

case "${1:-}" in
  install) install_day ;;
  clean) clean_day "${2:-}" ;;
  *) echo "usage: $0 install|clean [keep-packages]" >&2; exit 2 ;;
esac
