# shellcheck shell=bash
# The team KB's leftover web installer and its operations (held-out pair:
# scenario-kb-installer, scenario-benign-kbops): root-side functions sourced
# by the scenario scripts, idempotent. setup --reset-only puts the KB's web
# root back (install/ and conf.local.php go with it); kbinst_reset undoes
# everything kbinst_install / kbinst_ops_install plant outside it and what
# the runs leave:
#   kbinst_install       install/ in the web root, the KB's venv + stats job
#                        (root cron), svc-kb's cache-cleanup sudo rule and
#                        crontab, rclone + ncat (apt-get, first run only),
#                        copies of wtmp/btmp/lastlog
#   kbinst_ops_install   the innocent day's extras: off-site backup (rclone
#                        sftp to labremote with root's key), port check cron,
#                        labremote's authorized_keys for it
#   kbinst_reset         all of it removed, logs put back

KBINST=$LAB_DIR/kbinst
KBINST_SAVE=/var/lib/lab/kbinst
KBINST_SITE=/srv/kb/venv/lib/python3.11/site-packages

kbinst_install() {
  local f
  for f in rclone ncat; do
    command -v "$f" > /dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$f"
  done
  install -d -m 700 "$KBINST_SAVE"
  for f in wtmp btmp lastlog; do
    [ -e "$KBINST_SAVE/$f" ] || cp -p "/var/log/$f" "$KBINST_SAVE/$f"
  done
  install -d -o svc-kb -g svc-kb -m 755 /srv/kb/www/install
  install -o svc-kb -g svc-kb -m 644 "$KBINST/www/install/index.php" /srv/kb/www/install/index.php
  # the KB's own python environment (root's) and its statistics job
  rm -rf /srv/kb/venv /srv/kb/bin
  $PY -m venv --without-pip /srv/kb/venv
  install -d -m 755 /srv/kb/bin
  install -m 755 "$KBINST/bin/kb-stats.py" /srv/kb/bin/kb-stats.py
  install -m 644 "$KBINST/cron.d-kb-stats" /etc/cron.d/kb-stats
  # svc-kb empties the page cache through sudo find (root's reindex leaves root-owned files there)
  install -m 440 "$KBINST/sudoers-kb-cache" /etc/sudoers.d/kb-cache
  visudo -cf /etc/sudoers.d/kb-cache > /dev/null || die "sudoers kb-cache does not parse"
  crontab -u svc-kb "$KBINST/svc-kb.crontab"
  for f in a b c d; do
    printf '<html>cached %s</html>\n' "$f" > "/srv/kb/www/cache/page-$f.html"
    touch -d '-10 min' "/srv/kb/www/cache/page-$f.html"
  done
}

kbinst_ops_install() {
  install -d -m 700 /etc/kb-backup
  rm -f /etc/kb-backup/offsite_ed25519 /etc/kb-backup/offsite_ed25519.pub
  ssh-keygen -q -t ed25519 -N '' -C 'root@kb-offsite-backup' -f /etc/kb-backup/offsite_ed25519
  printf '[offsite]\ntype = sftp\nhost = 127.0.0.1\nuser = labremote\nkey_file = /etc/kb-backup/offsite_ed25519\nknown_hosts_file =\n' > /etc/kb-backup/rclone.conf
  chmod 600 /etc/kb-backup/rclone.conf
  install -m 755 "$KBINST/benign/kb-offsite-backup" /usr/local/sbin/kb-offsite-backup
  install -m 644 "$KBINST/benign/cron.d-kb-ops" /etc/cron.d/kb-ops
  install -d -o labremote -g labremote -m 700 /home/labremote/.ssh
  install -o labremote -g labremote -m 600 /etc/kb-backup/offsite_ed25519.pub /home/labremote/.ssh/authorized_keys
}

kbinst_reset() {
  local f p
  # the attack's root shell (ncat --ssl ... -e /bin/bash started by the .pth): by pid
  for p in $(pgrep -u 0 -x ncat 2> /dev/null); do
    grep -qa -- '--ssl' "/proc/$p/cmdline" 2> /dev/null && kill "$p" 2> /dev/null
  done
  rm -rf /srv/kb/venv /srv/kb/bin /etc/kb-backup /var/backups/kb /srv/kb/lib
  rm -f /etc/cron.d/kb-stats /etc/cron.d/kb-ops /etc/sudoers.d/kb-cache /usr/local/sbin/kb-offsite-backup
  crontab -u svc-kb -r 2> /dev/null || true
  rm -f /dev/shm/.kbm.lock /var/tmp/.kb* /tmp/.kb* /tmp/kb-*.tgz /tmp/kb-release*.sh /var/log/kb/kb-stats.log /var/log/kb/offsite-backup.log
  rm -f /home/deploy/.kbx /tmp/.kbx /tmp/.kbd.tgz /var/lib/lab/kbinst-logrotate.state /var/log/wtmp.1 /srv/kb/data/stats.json*
  rm -rf /home/deploy/releases /home/labremote/drop /home/labremote/kb-backups /home/labremote/.ssh/authorized_keys
  rm -rf /home/labremote/.cache/rclone /root/.cache/rclone /root/.config/rclone
  for f in wtmp btmp lastlog; do
    [ -e "$KBINST_SAVE/$f" ] && cp -p "$KBINST_SAVE/$f" "/var/log/$f"
  done
  return 0
}
