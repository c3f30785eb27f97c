# the vendor's support engineer (sharing alice's session) follows the app log
# and the web server's errors for a few seconds while a customer retries
cd /tmp
timeout 6 sudo -n tail -n 5 -F /var/log/deskline/app.log /var/log/nginx/desk-error.log || true
sudo -n cat /var/log/deskline/php-fpm.log | tail -n 10
