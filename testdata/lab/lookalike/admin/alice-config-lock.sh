# alice: the ops settings hold the DB password: read-only for everyone, immutable against a stray deploy
sudo chmod 640 /etc/shop/shop.ini
sudo chattr +i /etc/shop/shop.ini
lsattr /etc/shop/shop.ini
history -c
