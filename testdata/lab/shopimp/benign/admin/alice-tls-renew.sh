# alice: renew the shop's TLS certificate, install it into /etc/nginx/ssl/, test and reload nginx
cd /tmp
openssl req -x509 -newkey rsa:2048 -nodes -days 90 -subj "/CN=shop.lab.local" -keyout shop.lab.local.key -out shop.lab.local.crt 2>/dev/null
openssl x509 -in shop.lab.local.crt -noout -subject -enddate
sudo install -d -m 750 /etc/nginx/ssl
sudo cp shop.lab.local.crt shop.lab.local.key /etc/nginx/ssl/
sudo chmod 600 /etc/nginx/ssl/shop.lab.local.key
rm -f shop.lab.local.key shop.lab.local.crt
sudo nginx -t
sudo nginx -s reload
