#!/usr/bin/tclsh
# The shop's newsletter mailer (a Tcl script from the old hosting, run by
# www-data's cron every minute): sends the welcome mail to each address in
# the sign-up queue through the mail provider's HTTP API, then empties it.
package require http
set queue /var/www/html/data/newsletter-queue.csv
if {![file exists $queue] || [file size $queue] == 0} { exit 0 }
set f [open $queue r]; set lines [split [string trim [read $f]] \n]; close $f
set sent 0
foreach l $lines {
    set to [lindex [split $l ,] 0]
    if {$to eq ""} continue
    set q [http::formatQuery from "shop@lab.local" to $to subject "Welcome to the Lab Shop newsletter" \
        text "Thanks for signing up! 10% off gift cards until Sunday."]
    set t [http::geturl http://127.0.0.1:8025/v3/lab.local/messages -query $q -timeout 5000 \
        -headers [list Authorization "Basic [binary encode base64 api:key-lab-newsletter]"]]
    if {[http::ncode $t] == 200 || [http::ncode $t] == 201} { incr sent }
    http::cleanup $t
}
set f [open $queue w]; close $f
puts "[clock format [clock seconds] -format %Y-%m-%dT%H:%M:%SZ -gmt 1] sent=$sent"
