#!/bin/bash
# Victim-side additions of scenario-shop-reviews (as root; idempotent).
#   shop-reviews-setup.sh install   the shop's review page + photo helper, and
#                                   two planted admin mistakes (below)
#   shop-reviews-setup.sh clean     removes all of it and whatever the
#                                   scenario's attacker left (uid-0 account,
#                                   SUID copy, staging files)
# Run after `setup --reset-only` (install) and before it (clean): the web
# root and deploy's authorized_keys are put back by reset_state anyway.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

KEY=/var/lib/lab/keys/deploy_laptop_ed25519
HOMEBAK=/var/backups/home-deploy-2026-11-30.tgz
SUDOERS=/etc/sudoers.d/deploy-release
BACKDOOR_USER=sysmaint

install_reviews() {
  # the review page and the helper it calls (new code of the shop)
  install -o www-data -g www-data -m 644 "$LAB_DIR/reviews/review.php" "$WEBROOT/review.php"
  install -d -o www-data -g www-data -m 755 "$WEBROOT/uploads/reviews"
  install -m 755 "$LAB_DIR/reviews/shop-photo" /usr/local/bin/shop-photo

  # mistake 1: deploy's own laptop key (authorised for deploy) is inside a
  # world-readable tarball of deploy's home an admin left in /var/backups
  # when the account was migrated
  [ -e "$KEY" ] || ssh-keygen -q -t ed25519 -N '' -C 'deploy@ci-laptop' -f "$KEY"
  grep -qxF "$(cat "$KEY.pub")" /home/deploy/.ssh/authorized_keys || cat "$KEY.pub" >> /home/deploy/.ssh/authorized_keys
  local d; d=$(mktemp -d)
  install -d -m 700 "$d/home/deploy/.ssh"
  install -m 600 "$KEY" "$d/home/deploy/.ssh/id_ed25519"
  install -m 644 "$KEY.pub" "$d/home/deploy/.ssh/id_ed25519.pub"
  install -m 600 /home/deploy/.ssh/authorized_keys "$d/home/deploy/.ssh/authorized_keys"
  install -m 644 /etc/skel/.bashrc "$d/home/deploy/.bashrc"
  install -m 644 /etc/skel/.profile "$d/home/deploy/.profile"
  printf '[user]\n\tname = CI\n\temail = ci@shop.lab.local\n' > "$d/home/deploy/.gitconfig"
  chown -R "$DEPLOY_UID:$DEPLOY_UID" "$d/home/deploy"
  find "$d/home" -exec touch -h -d '2026-11-30 17:40' {} +   # as the day of the migration
  tar czf "$HOMEBAK" -C "$d" home/deploy
  chmod 644 "$HOMEBAK"
  touch -d '2026-11-30 17:42' "$HOMEBAK"
  rm -rf "$d"

  # mistake 2: the CI packs releases as root, so deploy may run tar as root
  # (GNU tar runs commands: --checkpoint-action=exec, --to-command, -I)
  printf '# CI: release tarballs of the shop (needs root to read everything)\ndeploy ALL=(root) NOPASSWD: /usr/bin/tar\n' > "$SUDOERS.tmp"
  chmod 440 "$SUDOERS.tmp"
  visudo -cqf "$SUDOERS.tmp" || die "bad sudoers rule"
  mv "$SUDOERS.tmp" "$SUDOERS"
}

clean_reviews() {
  set +e
  if getent passwd "$BACKDOOR_USER" >/dev/null; then
    # uid 0 is always in use: userdel -f; its lines go whatever userdel says
    userdel -f "$BACKDOOR_USER" 2>/dev/null
    sed -i "/^$BACKDOOR_USER:/d" /etc/passwd /etc/shadow /etc/subuid /etc/subgid
  fi
  rm -f "$SUDOERS" "$SUDOERS.tmp" "$HOMEBAK" /var/backups/shop-release-*.tgz
  rm -f /usr/local/bin/shop-photo "$WEBROOT/review.php"
  rm -rf "$WEBROOT/uploads/reviews"
  rm -f /var/tmp/.dbus-launch /dev/shm/.k /dev/shm/.r
  rm -rf /dev/shm/home
  set -e
}

case "${1:-}" in
  install) install_reviews ;;
  clean) clean_reviews ;;
  *) die "usage: $0 install|clean" ;;
esac
