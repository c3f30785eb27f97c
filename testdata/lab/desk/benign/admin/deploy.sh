# alice deploys release 2026.12.2 (pushed by the CI a minute ago): pull as the
# app's account (git over ssh as deploy with the app's key), syntax check, index
set -e
cd /tmp
sudo -n -u deskline git -C /srv/deskline pull --ff-only origin main
sudo -n -u deskline git -C /srv/deskline log --oneline -n 2
sudo -n -u deskline php -l /srv/deskline/www/index.php
sudo -n -u deskline php /srv/deskline/bin/reindex.php
curl -s -o /dev/null -w 'front page: %{http_code}\n' http://127.0.0.1:8096/
