<?php
// Deskline plugin sla-timer 1.3.0: shows the time left before a ticket's SLA ends
function sla_timer_left($opened, $hours = 8) { return max(0, strtotime($opened) + $hours * 3600 - time()); }
