#!/bin/bash
# Victim-side additions of scenario-shop-search (as root; idempotent).
#   shop-search-setup.sh install   the shop's catalog search (SQLite) and its
#                                  admin reindex button, and two planted
#                                  admin mistakes (below)
#   shop-search-setup.sh clean     removes all of it and whatever the
#                                  scenario's attacker left (PAM line and
#                                  script, staging files, leftover processes)
# Run after `setup --reset-only` (install) and before it (clean): the web
# roots (shop and team KB) are put back by reset_state anyway.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/search
SUDOERS=/etc/sudoers.d/shop-reindex
PAM=/etc/pam.d/sshd
PAM_ORIG=$STATE/shop-search-pam-sshd.orig
PAM_SCRIPT=/usr/lib/x86_64-linux-gnu/security/pam_sync.sh

install_search() {
  # PHP's SQLite3 extension (php-fpm loads it at its next start; the
  # scenario's start_services starts php-fpm after this package is there)
  dpkg -s php8.2-sqlite3 >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q php8.2-sqlite3 >/dev/null
  dpkg -s sqlite3 >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlite3 >/dev/null
  install -o www-data -g www-data -m 644 "$SRC/search.php" "$WEBROOT/search.php"
  install -o www-data -g www-data -m 644 "$SRC/admin-reindex.php" "$WEBROOT/admin-reindex.php"
  rm -f "$WEBROOT/data/shop.db"
  sqlite3 "$WEBROOT/data/shop.db" < "$SRC/shop.sql"
  chown www-data:www-data "$WEBROOT/data/shop.db"
  install -m 755 "$SRC/shop-reindex" /usr/local/bin/shop-reindex
  # the shop's help widget refreshes the team KB's cache with the KB's
  # admin token: a credential of another service in the shop's config
  printf "define('KB_URL', 'http://127.0.0.1:8060');\ndefine('KB_ADMIN_TOKEN', 'kb-admin-7f3e');   // help widget: cache refresh\n" >> "$WEBROOT/config.php"

  # mistake: the reindex job runs as root through sudo from the admin page,
  # and someone kept LD_PRELOAD for it ("sqlite3 needs the jemalloc preload")
  printf '# shop: the admin page rebuilds the search index as root\nDefaults:www-data env_keep += "LD_PRELOAD"\nwww-data ALL=(root) NOPASSWD: /usr/local/bin/shop-reindex\n' > "$SUDOERS.tmp"
  chmod 440 "$SUDOERS.tmp"
  visudo -cqf "$SUDOERS.tmp" || die "bad sudoers rule"
  mv "$SUDOERS.tmp" "$SUDOERS"

  # sshd's PAM stack as shipped, to put back after the run
  [ -e "$PAM_ORIG" ] || cp -p "$PAM" "$PAM_ORIG"
}

clean_search() {
  set +e
  if [ -e "$PAM_ORIG" ]; then cp -p "$PAM_ORIG" "$PAM" && rm -f "$PAM_ORIG"; fi
  rm -f "$PAM_SCRIPT"
  kill_leftover 0 '^openssl s_client -quiet (-no_ign_eof )?-connect 127\.0\.0\.1:844[3-6]'
  kill_leftover 0 '^/bin/bash -c openssl s_client|^/bin/sh -c openssl s_client'
  kill_leftover 33 '^php -S 127\.0\.0\.1:8000'
  rm -f "$SUDOERS" "$SUDOERS.tmp" /usr/local/bin/shop-reindex
  rm -rf /var/cache/shop-search
  rm -rf /dev/shm/.l.c /dev/shm/.l.so /dev/shm/.s /dev/shm/.g /dev/shm/.m /tmp/kbext-*
  set -e
}

case "${1:-}" in
  install) install_search ;;
  clean) clean_search ;;
  *) die "usage: $0 install|clean" ;;
esac
