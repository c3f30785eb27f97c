#!/bin/bash
# Victim-side install of scenario-benign-cuspid: the Cuspid stack of
# lib/cuspid-setup.sh (a Python Tornado 6.2 app as pumice 2201 on a UNIX
# socket behind the lab's nginx :8270, the mill worker as gypsum 2202, root's
# cron backup sent off-site with ssh and the mill report by python3 -m) with
# the day's additions (cuspid/day/): the app's logrotate file (nginx's vhost
# logs by size, postrotate: nginx USR1; the app's logs copytruncate), root's
# housekeeping cron file (that logrotate, stale case zips removed), gypsum's
# crontab (old toolpaths removed, the tool table's checksum logged), release
# 4.2.0 as the tarball alice copied to the machine, the vendor's package
# harrow-stlcheck 1.3.1 (built here; the scenario serves it from the
# vendor's download host), pumice's empty ~/.ssh (so the audit watch loads)
# and the key of Lena, the lab's contract developer, as the file she mailed
# alice (her private half is labremote's). Nothing is changed in the shared
# lib/cuspid-setup.sh. As root; idempotent.
#   benign-cuspid-setup.sh install   lib/cuspid-setup.sh clean keep-packages + install, then the day's files
#   benign-cuspid-setup.sh clean     what the day's admin added (harrow-stlcheck purged, her files in /tmp),
#                                    the day's files and keys, then lib/cuspid-setup.sh clean (accounts,
#                                    files, the packages purged)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

DAY=$LAB_DIR/cuspid/day
K=$STATE/keys
KEEP=$STATE/benign-cuspid

install_day() {
  "$LAB_DIR/lib/cuspid-setup.sh" clean keep-packages
  "$LAB_DIR/lib/cuspid-setup.sh" install
  install -d -m 700 "$KEEP"
  install -m 644 "$DAY/logrotate-cuspid" /etc/logrotate.d/cuspid
  rm -f /var/lib/logrotate/cuspid.status
  install -m 644 "$DAY/cron.d-cuspid-day" /etc/cron.d/cuspid-day
  install -o gypsum -g gypsum -m 644 /dev/null /var/log/millrun/tooltable.log
  crontab -u gypsum "$DAY/crontab-gypsum-day"
  # release 4.2.0, as alice copied it to the machine
  tar -czf /var/tmp/cuspid-4.2.0.tar.gz --owner=0 --group=0 -C "$DAY/release-4.2.0" .
  chown alice:alice /var/tmp/cuspid-4.2.0.tar.gz; chmod 644 /var/tmp/cuspid-4.2.0.tar.gz
  # the vendor's package (the scenario serves it from the vendor's host)
  rm -rf "$KEEP/pkg"; cp -r "$DAY/stlcheck" "$KEEP/pkg"; chmod 755 "$KEEP/pkg/DEBIAN"
  dpkg-deb --root-owner-group --build "$KEEP/pkg" "$KEEP/harrow-stlcheck_1.3.1_all.deb" >/dev/null
  chmod 644 "$KEEP/harrow-stlcheck_1.3.1_all.deb"; chmod 755 "$KEEP"
  # pumice's (empty) ssh folder exists before the capture, so the audit watch on it loads
  install -d -o pumice -g pumice -m 700 /home/pumice/.ssh
  # Lena's key: the public half as the file she mailed alice, the private half hers (labremote's)
  install -d -m 700 "$K"
  [ -e $K/lena_cuspid ] || ssh-keygen -q -t ed25519 -N '' -C 'lena@harrowdental-dev' -f $K/lena_cuspid
  install -o alice -g alice -m 644 $K/lena_cuspid.pub /home/alice/lena-laptop.pub
  install -d -o labremote -g labremote -m 700 /home/labremote/.ssh
  install -o labremote -g labremote -m 600 $K/lena_cuspid /home/labremote/.ssh/lena_cuspid
  log "benign-cuspid: day files installed (logrotate, cron, gypsum's crontab, release 4.2.0, harrow-stlcheck .deb, Lena's key)"
}

clean_day() {
  set +e
  dpkg-query -W harrow-stlcheck >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive dpkg --purge harrow-stlcheck >/dev/null
  crontab -r -u gypsum 2>/dev/null
  rm -f /etc/logrotate.d/cuspid /etc/cron.d/cuspid-day /var/lib/logrotate/cuspid.status /var/tmp/cuspid-4.2.0.tar.gz \
    /home/alice/lena-laptop.pub /home/labremote/.ssh/lena_cuspid /tmp/harrow-stlcheck_*.deb /tmp/cuspid-configs-*.tgz \
    /tmp/mill-report-*.json $K/lena_cuspid $K/lena_cuspid.pub
  rm -rf /tmp/cuspid-restore "$KEEP"
  set -e
  "$LAB_DIR/lib/cuspid-setup.sh" clean "${1:-}"
}

case "${1:-}" in
  install) install_day ;;
  clean) clean_day "${2:-}" ;;
  *) echo "usage: $0 install|clean [keep-packages]" >&2; exit 2 ;;
esac
