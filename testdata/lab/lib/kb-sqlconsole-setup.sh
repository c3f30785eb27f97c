# shellcheck shell=bash
# The team KB's SQL console (scenario-kb-sqlconsole): root-side functions
# sourced by the scenario script, idempotent. setup --reset-only puts the
# KB's web root, settings and articles back; kbsql_reset undoes everything
# kbsql_install plants outside them (and what the attack leaves):
#   kbsql_install   admin/sqlconsole.php + its SQLite DB, the backup image,
#                   the sudo rule for sqlite3, svc-kb's credential files,
#                   deploy's shell history, the security-tool stubs, the two
#                   KB daemons (started, pid files in /run)
#   kbsql_reset     all of it removed, daemons stopped by pid file, the
#                   attacker's /var/tmp/.kbc (immutable bit cleared first),
#                   alice's and deploy's passwords locked again ('*', as setup)

KBSQL=$LAB_DIR/kbsql
KBSQL_STUBS="iptables nft setenforce aa-teardown"
KBSQL_DAEMONS="kb-syncd kb-metricsd"
KBSQL_HIST=/var/lib/lab/kbsql-deploy-bash_history   # deploy's own history, if it had one

kbsql_install() {
  local s d
  install -o svc-kb -g svc-kb -m 644 "$KBSQL/www/admin/sqlconsole.php" /srv/kb/www/admin/sqlconsole.php
  # the console's database (svc-kb's) and root's nightly backup image of it
  rm -rf /srv/kb/db /srv/kb/backup
  install -d -o svc-kb -g svc-kb -m 755 /srv/kb/db
  sqlite3 /srv/kb/db/kb.sqlite < "$KBSQL/planted/kb.sql"
  chown svc-kb:svc-kb /srv/kb/db/kb.sqlite; chmod 640 /srv/kb/db/kb.sqlite
  install -d -m 750 /srv/kb/backup
  head -c 1048576 /dev/urandom > /srv/kb/backup/kb-2026-12-03.img; chmod 640 /srv/kb/backup/kb-2026-12-03.img
  # the admin's shortcut for the nightly VACUUM: sqlite3 as root for the KB's service account
  printf '# KB maintenance: nightly VACUUM of /srv/kb/db/kb.sqlite (ticket OPS-1182)\nsvc-kb ALL=(root) NOPASSWD: /usr/bin/sqlite3\n' > /etc/sudoers.d/kb-maint
  chmod 440 /etc/sudoers.d/kb-maint
  visudo -cf /etc/sudoers.d/kb-maint > /dev/null || die "sudoers kb-maint does not parse"
  # svc-kb's tool credentials (S3 backup, registry, article mirror): fake, lab only
  install -d -o svc-kb -g svc-kb -m 700 /home/svc-kb/.aws /home/svc-kb/.docker
  printf '[default]\naws_access_key_id = AKIAKBLAB7EXAMPLE42Q\naws_secret_access_key = kbLab/Example+Secret9fJ2wQ8rT1yU4iO7pA3sD6fG\nregion = eu-central-1\n' > /home/svc-kb/.aws/credentials
  printf '{\n  "auths": {\n    "registry.kb.lab.local": {"auth": "%s"}\n  }\n}\n' "$(printf 'kb-ci:Reg1stry-Kb-2026' | base64)" > /home/svc-kb/.docker/config.json
  printf 'machine mirror.kb.lab.local login kbsync password Mirr0r-Sync-77\n' > /home/svc-kb/.netrc
  chown svc-kb:svc-kb /home/svc-kb/.aws/credentials /home/svc-kb/.docker/config.json /home/svc-kb/.netrc
  chmod 600 /home/svc-kb/.aws/credentials /home/svc-kb/.docker/config.json /home/svc-kb/.netrc
  # deploy's shell history, world-readable (the default umask of an old image): it names the orders API's hook token
  if [ -e /home/deploy/.bash_history ] && [ ! -e "$KBSQL_HIST" ]; then cp -p /home/deploy/.bash_history "$KBSQL_HIST"; fi
  install -o deploy -g deploy -m 644 "$KBSQL/planted/deploy-bash_history" /home/deploy/.bash_history
  # the security tools the attack disables: stubs (see planted/stub.c; built here, never committed)
  cc -O2 -o /var/lib/lab/kbsql-stub "$KBSQL/planted/stub.c" || die "cc of the lab stub failed"
  for s in $KBSQL_STUBS; do
    [ -e "/usr/local/sbin/$s" ] && ! grep -q 'LAB STUB' "/usr/local/sbin/$s" && die "/usr/local/sbin/$s exists and is no lab stub"
    install -m 755 /var/lib/lab/kbsql-stub "/usr/local/sbin/$s"
  done
  # the KB's two background daemons (svc-kb), pid files in /run
  for d in $KBSQL_DAEMONS; do
    install -m 755 "$KBSQL/planted/kb-daemon" "/usr/local/sbin/$d"
    if ! pid_alive "/run/$d.pid"; then
      setsid env -i "${SVC_ENV[@]}" setpriv --reuid=$KB_UID --regid=$KB_UID --init-groups "/usr/local/sbin/$d" \
        < /dev/null > /dev/null 2>&1 &
      echo $! > "/run/$d.pid"
    fi
  done
}

kbsql_reset() {
  local s d
  for d in $KBSQL_DAEMONS; do stop_pidfile "/run/$d.pid" "$d"; rm -f "/usr/local/sbin/$d"; done
  for s in $KBSQL_STUBS; do
    if [ -e "/usr/local/sbin/$s" ] && grep -q 'LAB STUB' "/usr/local/sbin/$s"; then rm -f "/usr/local/sbin/$s"; fi
  done
  rm -f /var/log/lab-stubs.log /var/lib/lab/kbsql-stub
  if [ -e /var/tmp/.kbc ]; then chattr -R -i /var/tmp/.kbc 2> /dev/null || true; rm -rf /var/tmp/.kbc; fi
  rm -f /etc/sudoers.d/kb-maint /srv/kb/www/admin/sqlconsole.php
  rm -rf /srv/kb/db /srv/kb/backup /home/svc-kb/.aws /home/svc-kb/.docker /home/svc-kb/.netrc
  if [ -e "$KBSQL_HIST" ]; then mv -f "$KBSQL_HIST" /home/deploy/.bash_history; else rm -f /home/deploy/.bash_history; fi
  # the attack's chpasswd: both accounts' passwords locked again, as setup leaves them
  for s in alice deploy; do getent passwd "$s" > /dev/null && usermod -p '*' "$s"; done
  return 0
}
