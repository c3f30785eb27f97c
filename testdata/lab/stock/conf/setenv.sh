# stock app: JVM settings (sourced by catalina.sh)
JAVA_HOME=/usr/lib/jvm/default-java
JAVA_OPTS="-Djava.awt.headless=true -Xms64m -Xmx256m -XX:+UseSerialGC -Dstock.home=/srv/stock"
CATALINA_OUT=/srv/stock/tomcat/logs/catalina.out
