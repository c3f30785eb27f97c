#!/bin/bash
# Victim-side install of Deskline, a PHP helpdesk (tickets with attachments,
# a knowledge base, an agents' area and an admin area) on nginx + its own
# php-fpm master and pool run by the account deskline 2051: the stack of
# scenario-benign-desk and scenario-desk-attachname. As root; idempotent.
#   desk-setup.sh install   account, key, the app's repository (deploy's
#                           /srv/git/deskline.git) and deskline's checkout
#                           /srv/deskline, data, nginx vhost 127.0.0.1:8096
#                           (+ HUP), php-fpm master + pool (started), sudo
#                           rule, root's cron file, deskline's crontab
#   desk-setup.sh clean     stops the php-fpm master (pid file) and whatever
#                           a run left (by pid, uid + command line), removes
#                           all of it but the account
# The scenarios call install in pre_audit and clean in cleanup_extra.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/desk
DESK_UID=2051
APP=/srv/deskline
REPO=/srv/git/deskline.git
RELEASE=/var/lib/lab/desk-release.git   # the CI's copy with the next release (read by labremote)
FPM_CONF=/etc/php/8.2/fpm/deskline-fpm.conf
PIDF=/run/deskline/php-fpm.pid
K=/var/lib/lab/keys

gitc() { git -c user.name='Deskline CI' -c user.email=ci@deskline.lab.local -c init.defaultBranch=main "$@"; }

install_desk() {
  lab_account deskline $DESK_UID
  [ -e $K/desk_deploy ] || ssh-keygen -q -t ed25519 -N '' -C 'deskline@helpdesk' -f $K/desk_deploy

  # the app's repository (deploy's, pulled over ssh) with release 2026.12.1;
  # the CI's copy holds 2026.12.2 (scenario-benign-desk pushes it)
  local w
  w=$(mktemp -d /tmp/desk-build.XXXXXX)
  rm -rf "$REPO" "$RELEASE" "$APP"
  gitc init -q --bare "$REPO"
  gitc init -q "$w/app"
  mkdir -p "$w/app/data"
  cp -r "$SRC/www" "$SRC/bin" "$w/app/"; cp -r "$SRC/data/kb" "$w/app/data/"
  rm -f "$w/app/bin/deskline-ship"
  printf 'conf/deskline.ini\ndata/*.csv\ndata/*.json\ndata/next-id\ndata/replies-*\ndata/inbox/\nwww/attachments/\nwww/thumbs/\nwww/plugins/\nwww/exports/\n' > "$w/app/.gitignore"
  GIT_COMMITTER_DATE='2026-11-28T10:00:00Z' gitc -C "$w/app" add -A
  GIT_COMMITTER_DATE='2026-11-28T10:00:00Z' gitc -C "$w/app" commit -q --date=2026-11-28T10:00:00Z -m 'deskline 2026.12.1'
  gitc -C "$w/app" push -q "$REPO" HEAD:main
  gitc clone -q "$REPO" "$APP"
  cp -r "$SRC/benign/release/." "$w/app/"
  gitc -C "$w/app" add -A
  GIT_COMMITTER_DATE='2026-12-04T07:50:00Z' gitc -C "$w/app" commit -q --date=2026-12-04T07:50:00Z -m 'deskline 2026.12.2: SSO article, footer'
  gitc clone -q --bare "$w/app" "$RELEASE"
  rm -rf "$w"
  chown -R deploy:deploy "$REPO"; chown -R labremote:labremote "$RELEASE"
  git -C "$APP" remote set-url origin deploy@127.0.0.1:/srv/git/deskline.git
  install -d "$APP/conf" "$APP/data/inbox" "$APP/www/attachments" "$APP/www/thumbs" "$APP/www/plugins" "$APP/www/exports"
  install -m 640 "$SRC/conf/deskline.ini" "$APP/conf/deskline.ini"
  cp "$SRC/data/tickets.csv" "$SRC/data/customers.csv" "$APP/data/"
  echo 1100 > "$APP/data/next-id"
  chown -R deskline:deskline "$APP"
  chmod 750 "$APP/conf"
  runuser -u deskline -- php "$APP/bin/reindex.php" >/dev/null

  # the plugin releases the company mirror serves (labremote's HTTP server)
  install -d -o labremote -g labremote /var/lib/lab/desk-mirror/deskline-plugins
  ( cd "$SRC/benign/plugins" && rm -f /var/lib/lab/desk-mirror/deskline-plugins/*.zip && \
    zip -q -r /var/lib/lab/desk-mirror/deskline-plugins/sla-timer-1.3.0.zip sla-timer && \
    zip -q -r /var/lib/lab/desk-mirror/deskline-plugins/csat-survey-2.0.1.zip csat-survey )
  chown -R labremote:labremote /var/lib/lab/desk-mirror

  # deskline pulls its releases over ssh as deploy
  install -d -o deskline -g deskline -m 700 /home/deskline/.ssh
  install -o deskline -g deskline -m 600 $K/desk_deploy /home/deskline/.ssh/id_ed25519
  install -o deskline -g deskline -m 644 $K/desk_deploy.pub /home/deskline/.ssh/id_ed25519.pub
  printf 'Host 127.0.0.1\n  User deploy\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n' > /home/deskline/.ssh/config
  chown deskline:deskline /home/deskline/.ssh/config
  grep -qF "$(cut -d' ' -f2 $K/desk_deploy.pub)" /home/deploy/.ssh/authorized_keys 2>/dev/null \
    || cat $K/desk_deploy.pub >> /home/deploy/.ssh/authorized_keys

  # logs, backups, sudo, cron
  install -d -o deskline -g deskline -m 750 /var/log/deskline
  rm -f /var/log/deskline/*
  install -o deskline -g deskline -m 640 /dev/null /var/log/deskline/app.log
  install -m 644 /dev/null /var/log/deskline/ship.log
  rm -rf /var/backups/deskline; install -d -m 700 /var/backups/deskline
  rsync -a "$APP/data/" /var/backups/deskline/data/
  install -m 755 "$SRC/bin/deskline-ship" /usr/local/sbin/deskline-ship
  install -m 440 "$SRC/conf/sudoers-desk" /etc/sudoers.d/deskline
  visudo -cqf /etc/sudoers.d/deskline || die "bad sudoers rule"
  install -m 644 "$SRC/conf/cron.d-desk" /etc/cron.d/deskline
  crontab -u deskline "$SRC/conf/crontab-deskline"

  # php-fpm: a master of its own for the deskline pool
  install -d -m 755 /run/deskline
  install -m 644 "$SRC/conf/php-fpm-desk.conf" "$FPM_CONF"
  if ! pid_alive $PIDF; then
    log "starting php-fpm8.2 (Deskline pool, deskline)"
    env -i "${SVC_ENV[@]}" /usr/sbin/php-fpm8.2 --fpm-config "$FPM_CONF"
  fi
  local i
  for i in $(seq 1 50); do pid_alive $PIDF && [ -S /run/deskline/php-fpm.sock ] && break; sleep 0.2; done
  pid_alive $PIDF || die "php-fpm (deskline) did not start"
  for i in $(seq 1 50); do [ "$(ps -o pid= --ppid "$(tr -dc 0-9 < $PIDF)" | wc -l)" -ge 4 ] && break; sleep 0.2; done

  # nginx vhost
  install -m 644 "$SRC/conf/nginx-desk.conf" /etc/nginx/sites-available/lab-desk
  ln -sf /etc/nginx/sites-available/lab-desk /etc/nginx/sites-enabled/lab-desk
  # a fresh log for each run (nginx appends: truncating in place is safe)
  : > /var/log/nginx/desk-access.log; : > /var/log/nginx/desk-error.log
  nginx -t -q
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  if pid_alive /run/nginx.pid; then wait_port 8096; fi
}

clean_desk() {
  set +e
  stop_pidfile $PIDF php-fpm-deskline
  kill_leftover $DESK_UID 'php-fpm|^ssh .*-D 127\.0\.0\.1:1080'
  kill_leftover 2002 '^socat UDP4:127\.0\.0\.1:5300'
  rm -f /etc/nginx/sites-enabled/lab-desk /etc/nginx/sites-available/lab-desk
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  rm -f "$FPM_CONF" /etc/cron.d/deskline /etc/sudoers.d/deskline /usr/local/sbin/deskline-ship
  crontab -u deskline -r 2>/dev/null
  rm -rf "$APP" "$REPO" "$RELEASE" /var/backups/deskline /run/deskline /tmp/desk-build.* /var/lib/lab/desk-mirror
  rm -f /home/alice/.ssh/rc
  rm -rf /home/deskline/.ssh /home/deskline/.bash_history
  if [ -e $K/desk_deploy.pub ] && [ -e /home/deploy/.ssh/authorized_keys ]; then
    grep -vF "$(cut -d' ' -f2 $K/desk_deploy.pub)" /home/deploy/.ssh/authorized_keys > /home/deploy/.ssh/authorized_keys.tmp
    cat /home/deploy/.ssh/authorized_keys.tmp > /home/deploy/.ssh/authorized_keys; rm -f /home/deploy/.ssh/authorized_keys.tmp
  fi
  set -e
}

case "${1:-}" in
  install) install_desk ;;
  clean) clean_desk ;;
  *) die "usage: $0 install|clean" ;;
esac
