# shellcheck shell=bash
# The PHP shop's laser engraving (scenario shop-engrave): functions sourced by
# its scenario script, root side, idempotent. The shop of setup
# (/var/www/html, www-data) plus, from lib/shop-engrave/:
#   www/engrave.php            customers upload a logo (progress bar), convert makes the preview
#   www/engrave-progress.php   the progress bar (PHP session upload progress)
#   www/dot.user.ini           -> /var/www/html/.user.ini (upload limits, upload progress kept)
#   www/care.php, www/guides/  the products' care guides
#   www/admin/                 back office (X-Shop-Admin token): orders, SFTP onboarding sheet
#   bin/                       sudoers drop-in, www-data's crontab + its laser batch job,
#                              root's housekeeping (cron.d), the shop's php-fpm ini
#   attacker/                  the attacker's files (the .so is built from p11.c before a run)
# Debian's python3-impacket is installed for the run (the attacker's SMB
# server runs its example smbserver.py as labremote) and purged after.
#   engrave_install    all of the above
#   engrave_reset      everything the install and the run added (package kept)
#   engrave_purge      the packages the install added, purged

SHOPENG=$LAB_DIR/lib/shop-engrave
SHOPENG_PKGS=/var/lib/lab/shopengrave-pkgs.txt

engrave_install() {
  local p missing=() before
  for p in python3-impacket; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> "$SHOPENG_PKGS"
  fi
  # pages
  install -m 644 "$SHOPENG"/www/*.php "$WEBROOT/"
  install -m 644 "$SHOPENG/www/dot.user.ini" "$WEBROOT/.user.ini"
  install -d "$WEBROOT/guides" "$WEBROOT/admin" "$WEBROOT/engrave/previews" "$WEBROOT/engrave/fonts"
  install -m 644 "$SHOPENG"/www/guides/*.html "$WEBROOT/guides/"
  install -m 644 "$SHOPENG"/www/admin/*.php "$WEBROOT/admin/"
  install -m 644 "$LAB_DIR/conf/design.png" "$WEBROOT/engrave/fonts/serif-preview.png"
  chown -R www-data:www-data "$WEBROOT"
  # data outside the web root, a few earlier orders
  install -d -o www-data -g www-data -m 750 /var/lib/shop-engrave /var/lib/shop-engrave/logos /var/lib/shop-engrave/laser
  printf '2026-12-06T17:02:11+00:00,20261206-170211-a41f0c,MUG-ENGRAVE,png,Team Nordlicht\n2026-12-06T19:45:37+00:00,20261206-194537-0b9e2d,BOARD-OAK,svg,Familie Weber\n' \
    > /var/lib/shop-engrave/orders.csv
  chown www-data:www-data /var/lib/shop-engrave/orders.csv; chmod 640 /var/lib/shop-engrave/orders.csv
  install -d -o www-data -g www-data -m 755 /var/log/shop-engrave
  install -d -m 755 /usr/local/lib/shop-engrave
  install -m 644 "$SHOPENG/bin/laser-batch.php" /usr/local/lib/shop-engrave/laser-batch.php
  install -m 755 "$SHOPENG/bin/shop-engrave-housekeeping" /usr/local/sbin/shop-engrave-housekeeping
  install -m 440 "$SHOPENG/bin/sudoers-sftp-onboarding" /etc/sudoers.d/shop-sftp-onboarding
  visudo -cf /etc/sudoers.d/shop-sftp-onboarding > /dev/null || die "sudoers drop-in invalid"
  install -m 644 "$SHOPENG/bin/30-shop.ini" /etc/php/8.2/fpm/conf.d/30-shop.ini
  # php-fpm restarted (new ini) by the lab: USR2, the master re-reads its configuration
  kill -USR2 "$(tr -dc 0-9 < /run/php/php8.2-fpm.pid)"
  sleep 2
}

engrave_install_cron() {
  install -m 644 "$SHOPENG/bin/cron.d-shop-engrave" /etc/cron.d/shop-engrave
  crontab -u www-data "$SHOPENG/bin/www-data.crontab"
}

engrave_reset() {
  kill_leftover 0 'telnet://127\.0\.0\.1:2323'
  kill_leftover 33 'telnet://127\.0\.0\.1:2323'
  kill_leftover 0 '/var/tmp/\.p11/'
  rm -rf /var/tmp/.p11 /run/.p11-* /dev/shm/.php-mta*
  rm -f /etc/php/8.2/fpm/conf.d/99-sendmail.ini /usr/lib/php/sendmail-wrapper /etc/php/8.2/fpm/conf.d/30-shop.ini
  rm -f /etc/sudoers.d/shop-sftp-onboarding /etc/cron.d/shop-engrave /usr/local/sbin/shop-engrave-housekeeping
  rm -rf /usr/local/lib/shop-engrave /var/lib/shop-engrave /var/log/shop-engrave
  rm -f "$WEBROOT/.user.ini"
  find /var/lib/php/sessions -maxdepth 1 -name 'sess_*' -type f -delete 2>/dev/null || true
  crontab -u www-data -r 2>/dev/null || true
  rm -f /home/alice/.bash_history /root/.bash_history
  if pid_alive /run/php/php8.2-fpm.pid; then kill -USR2 "$(tr -dc 0-9 < /run/php/php8.2-fpm.pid)"; sleep 1; fi
  return 0
}

engrave_purge() {
  [ -s "$SHOPENG_PKGS" ] || return 0
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $(sort -u "$SHOPENG_PKGS") > /dev/null 2>&1 || true
  rm -f "$SHOPENG_PKGS"
}
