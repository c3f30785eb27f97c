# bob, as deploy: the release 2026.12 from the shop's repository into the web root
cd ~/shop-release
git pull -q --ff-only
git log -1 --oneline
for f in $(git diff --name-only 'HEAD@{1}' HEAD | grep '\.php$'); do php -l "$f"; done
cp -r coupon.php lib cache /var/www/html/
rm -rf /var/www/html/vendor/phpunit   # composer install --no-dev: no dev dependencies on the server
ls -la /var/www/html/lib /var/www/html/cache/views
