# alice: the ops settings hold the DB password: readable by root and the shop only, immutable against a stray deploy
sudo chmod 640 /etc/shop/shop.ini
sudo chattr +i /etc/shop/shop.ini
sudo lsattr /etc/shop/shop.ini
history -c
