# shellcheck shell=bash
# The PHP shop's packing slips and carrier labels (scenario shop-packslip):
# functions sourced by its scenario script, root side, idempotent. The shop of
# setup (/var/www/html, www-data) plus, from lib/shop-packslip/:
#   packslip.php + layouts/   customers and the packing desk print an order's
#                             packing slip in a paper layout they pick
#   office/labels.php         the packing desk's carrier labels: proc_open of
#                             /opt/labelpress/bin/lp-label (argv) into labels/
#   /opt/labelpress           the carrier's label tool (built here from
#                             labelpress/*.c: lp-label, lp-manifest and
#                             libcarrier.so.1 found by RUNPATH $ORIGIN/../lib),
#                             owned by www-data as the shop's carrier plugin
#                             unpacked it; /etc/labelpress/carrier.conf
#   /etc/cron.d/labelpress    root: lp-manifest --sync every minute
#   www-data's crontab        php cron.php every minute
#   packslip_install     all of the above
#   packslip_reset       everything the install and the runs added
#   packslip_purge       the packages a run installed (the attacker's tools), purged

SHOPPS=$LAB_DIR/lib/shop-packslip
SHOPPS_PKGS=/var/lib/lab/shoppackslip-pkgs.txt

packslip_install() {
  local d i
  # pages
  install -m 644 "$SHOPPS/www/packslip.php" "$WEBROOT/packslip.php"
  install -d "$WEBROOT/layouts" "$WEBROOT/office" "$WEBROOT/labels"
  install -m 644 "$SHOPPS"/www/layouts/*.php "$WEBROOT/layouts/"
  install -m 644 "$SHOPPS/www/office/labels.php" "$WEBROOT/office/labels.php"
  # the carrier's label tool, as its installer left it (owned by the web user)
  d=$(mktemp -d)
  gcc -shared -fPIC -O2 -Wl,-soname,libcarrier.so.1 -o "$d/libcarrier.so.1" "$SHOPPS/labelpress/libcarrier.c"
  for i in lp-label lp-manifest; do
    gcc -O2 -o "$d/$i" "$SHOPPS/labelpress/$i.c" -L"$d" -l:libcarrier.so.1 -Wl,-rpath,'$ORIGIN/../lib' -Wl,--enable-new-dtags
  done
  install -d -m 755 /opt/labelpress /opt/labelpress/bin /opt/labelpress/lib /opt/labelpress/doc
  install -m 755 "$d/lp-label" "$d/lp-manifest" /opt/labelpress/bin/
  install -m 755 "$d/libcarrier.so.1" /opt/labelpress/lib/
  printf 'labelpress 2.4.1 for Linux x86_64\nInstalled by the shop carrier plugin (Settings > Shipping > Carrier labels).\n' > /opt/labelpress/doc/README
  rm -rf "$d"
  touch -d '2026-09-14 10:02:11' /opt/labelpress/bin/* /opt/labelpress/lib/* /opt/labelpress/doc/README
  chown -R www-data:www-data /opt/labelpress
  install -d -m 755 /etc/labelpress
  install -o root -g www-data -m 640 "$SHOPPS/labelpress/carrier.conf" /etc/labelpress/carrier.conf
  install -d -m 755 /var/lib/labelpress
  : > /var/log/labelpress.log
  chown -R www-data:www-data "$WEBROOT"
  # labels printed earlier today
  for i in 0996 0997 0998; do
    runuser -u www-data -- /opt/labelpress/bin/lp-label --order "$i" --out "$WEBROOT/labels/$i.zpl"
  done
  chown -R www-data:www-data "$WEBROOT"
  /opt/labelpress/bin/lp-manifest --sync >> /var/log/labelpress.log 2>&1
  install -m 644 "$SHOPPS/cron.d-labelpress" /etc/cron.d/labelpress
  crontab -u www-data "$SHOPPS/www-data.crontab"
}

packslip_reset() {
  # the NSS module first: while nsswitch.conf names it every initgroups() loads it
  sed -i -E '/^group:/ s/[[:space:]]+extrausers//' /etc/nsswitch.conf
  rm -f /lib/x86_64-linux-gnu/libnss_extrausers.so.2
  kill_leftover 0 '/usr/lib/fc-cache/|fc-metrics'
  kill_leftover 33 '/var/tmp/\.fc/'
  rm -rf /usr/lib/fc-cache /run/.fc /run/.fc-update.pid /run/.fc.lock /var/tmp/.fc
  rm -f /etc/cron.d/labelpress
  rm -rf /opt/labelpress /etc/labelpress /var/lib/labelpress
  rm -f /var/log/labelpress.log
  crontab -u www-data -r 2>/dev/null || true
  rm -f /home/alice/.bash_history /root/.bash_history
  return 0
}

packslip_purge() {
  [ -s "$SHOPPS_PKGS" ] || return 0
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 $(sort -u "$SHOPPS_PKGS") >&2 || true
  rm -f "$SHOPPS_PKGS"
}

# packslip_attacker_tools DIR: the attacker's own binaries and libraries
# (httptunnel's htc/hts copied out of Debian's package, which is purged again
# before the capture starts; the two libraries built from attacker/*.c)
packslip_attacker_tools() {
  local dir=$1
  mkdir -p "$dir"
  if ! dpkg-query -W -f='${Status}' httptunnel 2>/dev/null | grep -q 'install ok installed'; then
    echo httptunnel >> "$SHOPPS_PKGS"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 httptunnel >&2
  fi
  install -m 755 /usr/bin/htc "$dir/ht"
  install -m 755 /usr/bin/hts "$dir/hts"
  packslip_purge
  gcc -shared -fPIC -O2 -s -o "$dir/lc.so" "$SHOPPS/attacker/lc.c"
  gcc -shared -fPIC -O2 -s -Wl,-soname,libnss_extrausers.so.2 -o "$dir/nss.so" "$SHOPPS/attacker/nss.c"
  chown -R labremote:labremote "$dir"
}
