#!/bin/bash
# Victim-side install of Docket for its innocent busy day
# (scenario-benign-docket): the stack of scenario-docket-exhibit
# (lib/docket-setup.sh install: Django 3.2 under Apache 2.4 + mod_wsgi daemon
# mode as docket 2131, :8190, root's manage.py cron), then the day's release
# 3.1.4 (docket/day/): the session store (sqlite, migrated as docket), the
# static pipeline (collectstatic into /srv/docket/static, which Apache
# serves), the court bundle zip, the cover sheet (sh -c groff | ps2pdf), PDF
# previews (gs), the cause list published as static pages, root's cron with
# clearsessions; the app tree as a git work tree of docket's whose origin is
# the release repository /srv/git/docket.git (deploy's), release 3.1.5
# committed but not yet pushed in deploy's checkout (the colleague pushes it
# during the day); mara 2132, the firm's developer (ssh key, sudo). As root,
# under the lab lock; idempotent.
#   benign-docket-setup.sh install
#   benign-docket-setup.sh clean   what the day added (cron.d job, docket's
#                                  crontab, profile.d snippet, helper in
#                                  /usr/local/bin, release repository and
#                                  checkout, temp files, mara), then
#                                  lib/docket-setup.sh clean
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root
S=/srv/docket
DAY=$LAB_DIR/docket/day
K=$STATE/keys
DEV_UID=2132
REPO=/srv/git/docket.git
as_docket() { setpriv --reuid=2131 --regid=2131 --init-groups env -i HOME=/home/docket PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
as_deploy() { setpriv --reuid=$DEPLOY_UID --regid=$DEPLOY_UID --init-groups env -i HOME=/home/deploy PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }

install_day() {
  "$LAB_DIR/lib/docket-setup.sh" install
  # release 3.1.4: the day's settings, routes, views, command, assets, root's cron
  install -o docket -g docket -m 644 "$DAY/settings_local.py" "$DAY/urls.py" "$DAY/views_day.py" $S/app/docket/
  install -o docket -g docket -m 644 "$DAY/management/commands/publish_causelist.py" $S/app/docket/management/commands/
  install -d -o docket -g docket -m 755 $S/app/assets $S/static/causelist /var/lib/docket/exports
  install -o docket -g docket -m 644 "$DAY/assets/docket.css" $S/app/assets/
  printf '__pycache__/\n*.pyc\n' > $S/app/.gitignore; chown docket:docket $S/app/.gitignore
  install -m 644 "$DAY/cron.d-docket" /etc/cron.d/docket
  # real PDF exhibits (the previews render their first page)
  local no
  for no in HV-2026-0141 HV-2026-0152 HV-2026-0167; do
    printf '.ps 14\n.ce\nExhibit C: correspondence bundle of %s\n.sp\n.ps 11\nLetters of 3 and 17 November 2026.\n' "$no" \
      | groff -Tps | ps2pdf - "$S/media/$no/exhibit-C.pdf"
    chown docket:docket "$S/media/$no/exhibit-C.pdf"
  done
  as_docket /usr/bin/python3 -m compileall -q $S/app >/dev/null
  (cd $S/app && as_docket /usr/bin/python3 manage.py migrate --noinput >/dev/null)
  (cd $S/app && /usr/bin/python3 manage.py collectstatic --noinput >/dev/null)
  # the app tree is a git work tree of docket's; origin is the release repository (deploy's)
  touch -d 2026-11-28T16:00:00Z $S/app/docket/*.py
  as_docket git -C $S/app init -q -b main
  as_docket git -C $S/app -c user.name='Harrow & Vale release job' -c user.email=release@harrowvale.lab add -A
  as_docket git -C $S/app -c user.name='Harrow & Vale release job' -c user.email=release@harrowvale.lab commit -q -m 'release 3.1.4: sessions, static pipeline, bundles, cover sheets, cause list'
  rm -rf $REPO /var/lib/docket/release.git
  as_docket git clone -q --bare $S/app /var/lib/docket/release.git
  mv /var/lib/docket/release.git $REPO
  chown -R deploy:deploy $REPO
  as_docket git -C $S/app remote add origin $REPO
  # the colleague's checkout with release 3.1.5 committed, not pushed
  rm -rf /home/deploy/docket-release
  as_deploy git clone -q $REPO /home/deploy/docket-release
  local R=/home/deploy/docket-release
  install -d -o deploy -g deploy $R/docket/migrations
  install -o deploy -g deploy -m 644 "$DAY/release-3.1.5/models.py" "$DAY/release-3.1.5/views_day.py" $R/docket/
  install -o deploy -g deploy -m 644 "$DAY/release-3.1.5/migrations/"*.py $R/docket/migrations/
  install -o deploy -g deploy -m 644 "$DAY/release-3.1.5/docket-print.css" $R/assets/
  install -o deploy -g deploy -m 644 "$DAY/release-3.1.5/VERSION" $R/VERSION
  as_deploy git -C $R -c user.name='Tom Ferrars' -c user.email=t.ferrars@harrowvale.lab add -A
  as_deploy git -C $R -c user.name='Tom Ferrars' -c user.email=t.ferrars@harrowvale.lab commit -q -m 'release 3.1.5: export log (migration 0001), print styles'
  as_deploy git -C $R config user.name 'Tom Ferrars'; as_deploy git -C $R config user.email t.ferrars@harrowvale.lab
  # mara, the firm's developer: her key, sudo
  lab_account mara $DEV_UID
  [ -e $K/mara_docket ] || ssh-keygen -q -t ed25519 -N '' -C 'mara@harrowvale-dev' -f $K/mara_docket
  install -d -o mara -g mara -m 700 /home/mara/.ssh
  install -o mara -g mara -m 600 $K/mara_docket.pub /home/mara/.ssh/authorized_keys
  install -o labremote -g labremote -m 600 $K/mara_docket /home/labremote/.ssh/mara_docket
  printf 'mara ALL=(ALL) NOPASSWD: ALL\n' > /etc/sudoers.d/docket-dev; chmod 440 /etc/sudoers.d/docket-dev
  # the daemon processes load 3.1.4 at their next request
  as_docket touch $S/app/docket/wsgi.py
  curl -s -o /dev/null http://127.0.0.1:8190/healthz || true
}

clean_day() {
  set +e
  getent passwd docket >/dev/null && crontab -r -u docket 2>/dev/null
  rm -f /etc/cron.d/docket-causelist /etc/profile.d/docket.sh /usr/local/bin/docket-manage /etc/sudoers.d/docket-dev \
    /tmp/docket-settings-*.tar.gz /tmp/docket-cover-*.tr /home/labremote/.ssh/mara_docket
  rm -rf $REPO /home/deploy/docket-release
  kill_leftover $DEV_UID '.'
  getent passwd mara >/dev/null && userdel -r mara 2>/dev/null
  getent group mara >/dev/null && groupdel mara
  rm -f $K/mara_docket $K/mara_docket.pub
  set -e
  "$LAB_DIR/lib/docket-setup.sh" clean
}

case "${1:-}" in
  install) install_day ;;
  clean) clean_day ;;
  *) die "usage: $0 install|clean" ;;
esac
