# alice: php-fpm reloaded for the release (config test first)
sudo php-fpm8.2 -t
sudo /etc/init.d/php8.2-fpm reload
sleep 1
ps -o pid,user,args -C php-fpm8.2
