#!/bin/bash
# Victim-side additions of scenario-kb-docs (as root; idempotent).
#   kb-docs-setup.sh install   the team KB's ops-docs search (docs.php) and
#                              its admin sync button, the docs upstream
#                              (bare) and root's checkout of it, the nightly
#                              tar backups, and the sudo rule the sync uses
#   kb-docs-setup.sh clean     removes all of it and whatever the scenario's
#                              attacker left (sshd config line and key file,
#                              staging files, leftover processes)
# Run after `setup --reset-only` (install) and before it (clean): the KB's
# web root is put back by reset_state anyway.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/kbdocs
SUDOERS=/etc/sudoers.d/kb-docs
UPSTREAM=/srv/kb/docs-upstream.git
DOCS=/srv/kb/docs
BACKUPS=/var/backups/kb-docs

gitc() { git -c user.name='Ops Docs' -c user.email=ops-docs@corp.lab.local -c init.defaultBranch=main "$@"; }

install_docs() {
  install -o svc-kb -g svc-kb -m 644 "$SRC/www/docs.php" /srv/kb/www/docs.php
  install -o svc-kb -g svc-kb -m 644 "$SRC/www/admin/docs-sync.php" /srv/kb/www/admin/docs-sync.php

  # the upstream: two commits (the second one is what the admin's first sync
  # pulls); root's checkout stays at the first
  local w
  w=$(mktemp -d /tmp/kbdocs-build.XXXXXX)
  rm -rf "$UPSTREAM" "$DOCS"
  gitc init -q --bare "$UPSTREAM"
  gitc init -q "$w/docs"
  cp -r "$SRC/docs/." "$w/docs/"
  GIT_COMMITTER_DATE='2026-11-20T10:00:00Z' gitc -C "$w/docs" add -A
  GIT_COMMITTER_DATE='2026-11-20T10:00:00Z' gitc -C "$w/docs" commit -q --date=2026-11-20T10:00:00Z -m 'ops docs: runbooks and how-tos'
  gitc -C "$w/docs" push -q "$UPSTREAM" HEAD:main
  gitc clone -q "$UPSTREAM" "$DOCS"
  cp -r "$SRC/update/." "$w/docs/"
  gitc -C "$w/docs" add -A
  GIT_COMMITTER_DATE='2026-12-03T16:20:00Z' gitc -C "$w/docs" commit -q --date=2026-12-03T16:20:00Z -m 'runbooks: certificate renewal'
  gitc -C "$w/docs" push -q "$UPSTREAM" HEAD:main
  rm -rf "$w"
  chmod -R go+rX "$DOCS" "$UPSTREAM"

  # nightly backups of the checkout (root only)
  rm -rf "$BACKUPS"
  install -d -m 700 "$BACKUPS"
  local d
  for d in 01 02 03; do
    tar czf "$BACKUPS/docs-2026-12-$d.tar.gz" -C /srv/kb docs
    touch -d "2026-12-$d 02:30" "$BACKUPS/docs-2026-12-$d.tar.gz"
  done

  # the admin's shortcut: the KB (svc-kb) may pull the root checkout through
  # sudo; the wildcard lets any argument through after "pull"
  printf '# team KB: the admin page pulls the ops docs (root checkout)\nsvc-kb ALL=(root) NOPASSWD: /usr/bin/git -C /srv/kb/docs pull *\n' > "$SUDOERS.tmp"
  chmod 440 "$SUDOERS.tmp"
  visudo -cqf "$SUDOERS.tmp" || die "bad sudoers rule"
  mv "$SUDOERS.tmp" "$SUDOERS"
}

clean_docs() {
  set +e
  kill_leftover 0 '^perl /var/tmp/\.kbsync\.pl'
  # sshd's config as setup installs it; a running sshd re-reads it (HUP)
  if ! cmp -s "$LAB_DIR/conf/sshd_config" /etc/ssh/sshd_config; then
    install -m 644 "$LAB_DIR/conf/sshd_config" /etc/ssh/sshd_config
    pid_alive /run/sshd.pid && kill -HUP "$(tr -dc 0-9 < /run/sshd.pid)"
  fi
  rm -f /var/lib/misc/.ssh-* "$SUDOERS" "$SUDOERS.tmp"
  rm -f /srv/kb/www/docs.php /srv/kb/www/admin/docs-sync.php /srv/kb/www/media/.cache.php /srv/kb/www/media/.bk-*.zip
  rm -rf "$UPSTREAM" "$DOCS" "$BACKUPS" /var/tmp/.kbsync.pl /dev/shm/.w /tmp/kbdocs-build.*
  rm -f /root/.bash_history /home/svc-kb/.bash_history
  set -e
}

case "${1:-}" in
  install) install_docs ;;
  clean) clean_docs ;;
  *) die "usage: $0 install|clean" ;;
esac
