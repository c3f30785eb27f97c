#!/bin/bash
# shellcheck shell=bash
# The reports portal's innocent busy day (scenario-benign-reports, held out
# by lab-benign6): root-side functions, sourced by the scenario (or run
# directly: `lib/benign-reports-setup.sh install|clean`, under the lab lock).
# setup --reset-only puts the portal's web root, data, reports, shell
# profiles and ~/.ssh/config back; rptday_reset undoes everything
# rptday_install plants outside them and what the day leaves:
#   rptday_install  the portal's extra pages (quarter archive, payroll to the
#                   bank, publish, admin sysinfo), its settings /srv/reports/conf
#                   (bank certificate made here, base64 intake token and
#                   archive key), outbox/log/tools folders, the month reports,
#                   the monitoring agent (root cron) and svc-reports' crontab
#                   (rptgen + the encrypted off-site copy over ssh to
#                   labremote, whose authorized_keys only stores what it gets),
#                   svc-reports' known_hosts, deploy's ~/reports, alice's
#                   downloaded WAF release, a copy of logrotate's state
#   rptday_reset    all of it removed, logrotate's state and the portal's
#                   logs put back as they were
RPTDAY=${LAB_DIR:?}/rptday
RPTDAY_SAVE=/var/lib/lab/rptday

rptday_install() {
  local d=/srv/reports m
  install -d -m 700 "$RPTDAY_SAVE"
  [ -e "$RPTDAY_SAVE/logrotate.status" ] || cp -p /var/lib/logrotate/status "$RPTDAY_SAVE/logrotate.status" 2>/dev/null || : > "$RPTDAY_SAVE/logrotate.status"
  rm -rf "$RPTDAY_SAVE/lighttpd-logs"; cp -a /var/log/lighttpd-reports "$RPTDAY_SAVE/lighttpd-logs"
  # the portal's pages (installed before the capture: no webroot_write of them in the window)
  install -o svc-reports -g svc-reports -m 644 "$RPTDAY"/www/export.php "$RPTDAY"/www/bank.php "$RPTDAY"/www/publish.php "$d/www/"
  install -d -o svc-reports -g svc-reports -m 755 "$d/www/admin"
  install -o svc-reports -g svc-reports -m 644 "$RPTDAY/www/admin/sysinfo.php" "$d/www/admin/"
  # settings outside the web root: the bank's certificate, the intake token
  # as the bank issued it (base64), the admin token, the archive key
  install -d -o root -g svc-reports -m 750 "$d/conf"
  openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=payroll-intake.bank.lab' -days 30 \
    -keyout "$RPTDAY_SAVE/bank-intake.key" -out "$d/conf/bank-intake.crt" > /dev/null 2>&1
  chmod 644 "$d/conf/bank-intake.crt"
  printf '; payroll intake of the bank (integration guide v3)\nbank_cert = /srv/reports/conf/bank-intake.crt\nintake_url = http://127.0.0.1:9400/intake/\nintake_token_b64 = "%s"\nadmin_token = rpt-admin-5c21e0\n' \
    "$(printf 'bk_live_7Q2mW9xR4tLz' | base64)" > "$d/conf/bank.ini"
  head -c 32 /dev/urandom | base64 > "$d/conf/offsite.key.b64"
  chown root:svc-reports "$d/conf/bank.ini" "$d/conf/offsite.key.b64"; chmod 640 "$d/conf/bank.ini" "$d/conf/offsite.key.b64"
  install -d -o svc-reports -g svc-reports -m 750 "$d/outbox" "$d/log"
  install -d -m 755 "$d/tools"
  install -m 644 "$RPTDAY/tools/migrate-2026-12.php" "$d/tools/"
  # the month reports the portal lists (as the month's cron would have left them)
  for m in 09 10 11 12; do runuser -u svc-reports -- /usr/local/bin/rptgen --out "$d/out" --month "2026-$m" > /dev/null; done
  # the monitoring agent (root cron) and the account's jobs
  install -m 755 "$RPTDAY/bin/reports-healthcheck" "$RPTDAY/bin/reports-offsite" /usr/local/sbin/
  install -m 644 "$RPTDAY/cron.d-reports-ops" /etc/cron.d/reports-ops
  crontab -u svc-reports "$RPTDAY/svc-reports.crontab"
  # the off-site host's backup account (labremote: excluded from audit) keeps what it is sent
  rm -f /home/svc-reports/.ssh/id_offsite /home/svc-reports/.ssh/id_offsite.pub
  runuser -u svc-reports -- ssh-keygen -q -t ed25519 -N '' -C 'svc-reports@reports01 offsite' -f /home/svc-reports/.ssh/id_offsite
  printf '\n# off-site copies of the reports data\nHost backup-offsite\n  HostName 127.0.0.1\n  User labremote\n  IdentityFile ~/.ssh/id_offsite\n' >> /home/svc-reports/.ssh/config
  install -d -o labremote -g labremote -m 700 /home/labremote/.ssh /home/labremote/offsite
  printf 'restrict,command="f=${SSH_ORIGINAL_COMMAND##*/}; cat > /home/labremote/offsite/${f:-unnamed}" %s\n' \
    "$(cat /home/svc-reports/.ssh/id_offsite.pub)" > /home/labremote/.ssh/authorized_keys
  chown labremote:labremote /home/labremote/.ssh/authorized_keys; chmod 600 /home/labremote/.ssh/authorized_keys
  # the host key of 127.0.0.1, as the admin accepted it when setting up the publish and off-site hosts
  ssh-keyscan -t ed25519 127.0.0.1 2> /dev/null > /home/svc-reports/.ssh/known_hosts
  chown svc-reports:svc-reports /home/svc-reports/.ssh/known_hosts; chmod 644 /home/svc-reports/.ssh/known_hosts
  install -d -o deploy -g deploy -m 755 /home/deploy/reports
  # alice's download of the request filter release (she installs it during the day)
  install -d -o alice -g alice -m 755 /home/alice/reports-waf-1.0
  install -o alice -g alice -m 644 "$RPTDAY/waf/bootstrap.php" /home/alice/reports-waf-1.0/bootstrap.php
}

rptday_reset() {
  crontab -u svc-reports -r 2> /dev/null || true
  rm -f /etc/cron.d/reports-ops /usr/local/sbin/reports-healthcheck /usr/local/sbin/reports-offsite
  rm -f /etc/sudoers.d/reports-logs /etc/sudoers.d/reports-logs.new /etc/logrotate.d/lighttpd-reports
  rm -rf /srv/reports/conf /srv/reports/outbox /srv/reports/log /srv/reports/tools /srv/reports/waf
  rm -rf /home/alice/reports-waf-1.0 /home/deploy/reports /home/labremote/offsite /home/labremote/.ssh/authorized_keys
  rm -rf /home/svc-reports/bin /home/svc-reports/.cache /home/svc-reports/.bash_history /home/svc-reports/.lesshst
  rm -f /home/svc-reports/.ssh/authorized_keys /home/svc-reports/.ssh/id_offsite /home/svc-reports/.ssh/id_offsite.pub /home/svc-reports/.ssh/known_hosts
  rm -f /tmp/reports-health.* /tmp/reports-offsite.* /tmp/csvlint* /tmp/lighttpd-trace.txt
  if [ -e "$RPTDAY_SAVE/logrotate.status" ]; then cp -p "$RPTDAY_SAVE/logrotate.status" /var/lib/logrotate/status; fi
  if [ -d "$RPTDAY_SAVE/lighttpd-logs" ]; then
    # the day rotates the portal's logs: put the files back as they were
    # (lighttpd is stopped after the run; setup starts it again on them)
    rm -f /var/log/lighttpd-reports/*.1 /var/log/lighttpd-reports/*.gz
    cp -a "$RPTDAY_SAVE/lighttpd-logs/." /var/log/lighttpd-reports/
  fi
  rm -rf "$RPTDAY_SAVE"
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
  RPTDAY=$LAB_DIR/rptday
  case "${1:-}" in
    install) rptday_install ;;
    clean) rptday_reset ;;
    *) echo "usage: $0 install|clean" >&2; exit 2 ;;
  esac
fi
