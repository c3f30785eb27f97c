# shellcheck shell=bash
# The PHP shop's wishlists and the ops team's checks (scenario shop-wishlist):
# functions sourced by its scenario script, root side, idempotent. The shop of
# setup (/var/www/html, www-data) plus, from lib/shop-wishlist/:
#   wishlist.php            customers mail their wishlist to a friend (mail(),
#                           their address as the envelope sender)
#   lib/checks-queue.php    queues the ops team's checks into beanstalkd
#                           (www-data's cron every minute, or one by hand)
#   the shop's MTA: Debian's exim4 (daemon-light; no daemon: mail() runs
#   /usr/sbin/sendmail -> exim4, which delivers at once), local mail for the
#   shop's accounts, everything else through the provider's relay 127.0.0.1:2525
#   beanstalkd on 127.0.0.1:11300 (user beanstalkd) and the check runner
#   (checks/check-worker.py as opsmon, uid 2241): alerts by SNMP trap to the
#   NMS (127.0.0.1:16200) and by mail to opsmon and alice; opsmon may sudo
#   tcpdump (captures when a check fails)
#   alice's ~/.forward helper /usr/local/bin/mail-notify
# Debian's exim4-daemon-light, beanstalkd, snmp and tcpdump are installed for
# the run and purged after (the lab's sendmail stand-in is put back).
#   wishlist_install   all of the above (starts beanstalkd and the check runner)
#   wishlist_reset     everything the install and the runs added (packages kept)
#   wishlist_purge     the packages the install added, purged; the stand-in back

SHOPWL=$LAB_DIR/lib/shop-wishlist
SHOPWL_PKGS=/var/lib/lab/shopwishlist-pkgs.txt
OPSMON_UID=2241

wishlist_install() {
  local p missing=() i
  for p in exim4-daemon-light beanstalkd snmp tcpdump; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    # every package this pulls in is recorded (and purged after), not only the four
    dpkg-query -W -f='${Package}\n' | sort > "$RUN/shopwl-before.txt"
    [ -e /etc/aliases ] || touch /var/lib/lab/shopwishlist-aliases   # exim4-config makes it: removed at the purge
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
    dpkg-query -W -f='${Package}\n' | sort | comm -13 "$RUN/shopwl-before.txt" - >> "$SHOPWL_PKGS"
    rm -f "$RUN/shopwl-before.txt"
  fi
  [ "$(readlink /usr/sbin/sendmail)" = exim4 ] || die "/usr/sbin/sendmail is not exim4"
  # the MTA
  printf 'shop.lab.local\n' > /etc/mailname
  install -m 644 "$SHOPWL/exim4-update.conf" /etc/exim4/update-exim4.conf.conf
  install -m 644 "$SHOPWL/exim4-localmacros" /etc/exim4/exim4.conf.localmacros
  update-exim4.conf
  # the shop's role addresses (the contact form writes to sales@)
  grep -q '^sales:' /etc/aliases 2>/dev/null || printf 'sales: alice\nsupport: alice\n' >> /etc/aliases
  rm -rf /var/spool/exim4/input/* /var/spool/exim4/msglog/* /var/spool/exim4/db/*
  install -d -o Debian-exim -g adm -m 2750 /var/log/exim4
  : > /var/log/exim4/mainlog; : > /var/log/exim4/rejectlog; : > /var/log/exim4/paniclog
  chown Debian-exim:adm /var/log/exim4/*; chmod 640 /var/log/exim4/*
  # the on-call account and its checks
  lab_account opsmon "$OPSMON_UID"
  install -o opsmon -g opsmon -m 644 /etc/skel/.profile /home/opsmon/.profile
  install -o opsmon -g opsmon -m 644 /etc/skel/.bashrc /home/opsmon/.bashrc
  install -d -m 755 /usr/local/lib/shop-checks /etc/shop-checks
  install -m 755 "$SHOPWL/checks/check-worker.py" /usr/local/lib/shop-checks/check-worker.py
  for p in http disk load tls; do install -m 755 "$SHOPWL/checks/check_$p" "/usr/local/lib/shop-checks/check_$p"; done
  install -m 644 "$SHOPWL/checks/checks.conf" /etc/shop-checks/checks.conf
  [ -s /etc/shop-checks/shop.crt ] || openssl req -x509 -newkey rsa:2048 -nodes -days 12 -subj /CN=shop.lab.local \
    -keyout /etc/shop-checks/shop.key -out /etc/shop-checks/shop.crt > /dev/null 2>&1
  chmod 644 /etc/shop-checks/shop.crt; chmod 600 /etc/shop-checks/shop.key
  install -m 755 "$SHOPWL/checks/mail-notify" /usr/local/bin/mail-notify
  install -m 440 "$SHOPWL/checks/sudoers-shop-checks" /etc/sudoers.d/shop-checks
  install -d -o opsmon -g opsmon -m 755 /var/lib/shop-checks /var/lib/shop-checks/results /var/log/shop-checks
  # the shop's pages
  install -m 644 "$SHOPWL/www/wishlist.php" "$WEBROOT/wishlist.php"
  install -d "$WEBROOT/lib"
  install -m 644 "$SHOPWL/www/lib/checks-queue.php" "$WEBROOT/lib/checks-queue.php"
  touch -d '2026-11-18 09:12' "$WEBROOT/lib/checks-queue.php"
  chown -R www-data:www-data "$WEBROOT"
  # beanstalkd and the check runner
  mkdir -p "$RUN"
  if ! pid_alive "$RUN/shop-beanstalkd.pid"; then
    log "starting beanstalkd"
    setsid env -i "${SVC_ENV[@]}" /usr/bin/beanstalkd -l 127.0.0.1 -p 11300 -u beanstalkd \
      < /dev/null >> /var/log/shop-checks/beanstalkd.out 2>&1 &
    echo $! > "$RUN/shop-beanstalkd.pid"
    wait_port 11300
  fi
  if ! pid_alive "$RUN/shop-checkworker.pid"; then
    log "starting the check runner (opsmon)"
    setsid env -i "${SVC_ENV[@]}" HOME=/home/opsmon USER=opsmon LOGNAME=opsmon \
      setpriv --reuid=$OPSMON_UID --regid=$OPSMON_UID --init-groups /usr/bin/python3 /usr/local/lib/shop-checks/check-worker.py \
      < /dev/null >> /var/log/shop-checks/worker.log 2>&1 &
    echo $! > "$RUN/shop-checkworker.pid"
  fi
  sleep 1
}

wishlist_install_cron() { crontab -u www-data "$SHOPWL/www-data.crontab"; }

wishlist_reset() {
  rm -f /run/snmp-cache.pid
  kill_leftover 0 'snmp-cache|/var/tmp/\.wl/|digest-rotate|tcpdump -ln -i lo -w /dev/null -W 1'
  stop_pidfile "$RUN/shop-checkworker.pid" shop-checkworker
  stop_pidfile "$RUN/shop-beanstalkd.pid" shop-beanstalkd
  kill_leftover "$OPSMON_UID" '.'
  kill_leftover 33 '/var/tmp/\.wl/|checks-queue'
  crontab -u www-data -r 2>/dev/null || true
  rm -rf /var/tmp/.wl /var/lib/snmp/snmp-cache /var/lib/shop-checks /var/log/shop-checks /usr/local/lib/shop-checks
  rm -f /etc/sudoers.d/shop-checks /usr/local/bin/mail-notify
  rm -f "$WEBROOT/wishlist.php" "$WEBROOT/lib/checks-queue.php" "$WEBROOT/lib/wl-share.php"
  rmdir "$WEBROOT/lib" 2>/dev/null || true
  if getent passwd opsmon >/dev/null; then
    rm -rf /home/opsmon/.forward /home/opsmon/.local /home/opsmon/.snmp /home/opsmon/.bash_history
  fi
  rm -rf /home/alice/.forward /home/alice/.mail-notify.log /home/alice/.bash_history /home/alice/.snmp
  rm -rf /var/mail/opsmon /var/mail/alice /var/mail/www-data /var/mail/deploy /var/mail/root /root/.snmp
  rm -rf /var/spool/exim4/input/* /var/spool/exim4/msglog/* /var/spool/exim4/db/* 2>/dev/null || true
  rm -f /tmp/smtp-relay.pcap
  return 0
}

wishlist_purge() {
  rm -rf /etc/shop-checks
  if [ -s "$SHOPWL_PKGS" ]; then
    # shellcheck disable=SC2046
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $(sort -u "$SHOPWL_PKGS") >&2 || true
    rm -f "$SHOPWL_PKGS"
    # what the packages and the MTA's configuration left
    rm -rf /var/log/exim4 /var/spool/exim4 /var/lib/snmp /etc/exim4 /var/lib/exim4 /etc/mailname
  fi
  if [ -e /var/lib/lab/shopwishlist-aliases ]; then rm -f /etc/aliases /var/lib/lab/shopwishlist-aliases; fi
  # the lab's sendmail stand-in (exim4's package had replaced it by its link)
  [ -e /usr/sbin/sendmail ] || install -m 755 "$LAB_DIR/conf/sendmail-stub" /usr/sbin/sendmail
}
