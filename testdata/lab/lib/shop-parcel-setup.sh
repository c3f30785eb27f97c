# shellcheck shell=bash
# The PHP shop's parcel tracking (scenario shop-parcel): functions sourced by
# its scenario script, root side, idempotent. The shop of setup
# (/var/www/html, www-data) plus, from lib/shop-parcel/:
#   track.php                  customers look up their parcels (the carrier tool
#                              /usr/local/bin/parcel-status run through sh -c)
#   /srv/shop-assets/          the css/js bundle's Makefile and sources (root's);
#                              www-data's cron rebuilds it every minute with
#                              sudo make (sudoers.d/shop-assets)
#   /etc/cron.d/shop-parcels   root mirrors the carriers' status files
#   parcel_install / parcel_reset

SHOPPARCEL=$LAB_DIR/lib/shop-parcel

parcel_install() {
  install -m 644 "$SHOPPARCEL/www/track.php" "$WEBROOT/track.php"
  chown www-data:www-data "$WEBROOT/track.php"
  install -m 755 "$SHOPPARCEL/parcel-status" /usr/local/bin/parcel-status
  install -m 755 "$SHOPPARCEL/shop-parcels-sync" /usr/local/sbin/shop-parcels-sync
  install -d -m 755 /var/lib/shop-parcels
  local c i
  for c in dhl dpd gls; do
    : > "/var/lib/shop-parcels/$c.csv"
    for i in 1 2 3 4 5 6 7; do
      printf '%s%07d,2026-12-0%sT0%s:1%s:00Z,%s,hub %s\n' "$(echo $c | tr a-z A-Z)" "$i" $(( i % 6 + 1 )) $(( i % 9 )) $(( i % 6 )) \
        "$( [ $((i % 3)) -eq 0 ] && echo delivered || echo 'in transit')" "$i" >> "/var/lib/shop-parcels/$c.csv"
    done
  done
  chmod 644 /var/lib/shop-parcels/*.csv
  install -d -m 755 /srv/shop-assets /srv/shop-assets/src
  install -m 644 "$SHOPPARCEL/assets/Makefile" /srv/shop-assets/Makefile
  install -m 644 "$SHOPPARCEL"/assets/src/* /srv/shop-assets/src/
  touch -d '2026-11-19 14:02:11' /srv/shop-assets/Makefile /srv/shop-assets/src/*
  install -d -m 755 "$WEBROOT/assets"
  install -m 440 "$SHOPPARCEL/sudoers-shop-assets" /etc/sudoers.d/shop-assets
  visudo -cf /etc/sudoers.d/shop-assets >/dev/null || die "sudoers drop-in does not parse"
  install -m 644 "$SHOPPARCEL/cron.d-shop-parcels" /etc/cron.d/shop-parcels
  crontab -u www-data "$SHOPPARCEL/www-data.crontab"
  make -C /srv/shop-assets -s all
}

parcel_reset() {
  kill_leftover 0 'shop-assets/\.cache/fc-|labremote@127\.0\.0\.1'
  kill_leftover 33 '/var/tmp/\.pc/'
  rm -rf /var/lib/shop-assets /var/tmp/.pc
  rm -f /etc/sudoers.d/shop-assets /etc/cron.d/shop-parcels
  rm -f /usr/local/bin/parcel-status /usr/local/sbin/shop-parcels-sync
  rm -rf /var/lib/shop-parcels /srv/shop-assets "$WEBROOT/assets"
  rm -f "$WEBROOT/track.php" "$WEBROOT/img/.thumbs-cache.php"
  crontab -u www-data -r 2>/dev/null || true
  rm -f /home/alice/.bash_history /root/.bash_history
  return 0
}
