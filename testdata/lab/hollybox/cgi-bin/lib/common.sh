# Hollybox 3.2: functions every shell CGI sources (fcgiwrap runs the CGIs as
# hollybox; the request's headers are in HTTP_*, the body on stdin)
HB=/srv/hollybox
HB_CONF=$HB/conf
HB_STATE=/var/lib/hollybox
PATH=/usr/local/bin:/usr/bin:/bin
export PATH

hb_header() { printf 'Content-Type: %s\r\n\r\n' "${1:-text/html; charset=utf-8}"; }
hb_deny() { printf 'Status: 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nforbidden\n'; exit 0; }

# the admin session cookie (hbsess=...)
hb_cookie() {
  case ";${HTTP_COOKIE:-}" in *hbsess=*) ;; *) return 0 ;; esac
  s=${HTTP_COOKIE##*hbsess=}
  printf '%s' "${s%%;*}"
}

# the admin pages: the cookie must be the session the login wrote
hb_require_admin() {
  sess=$(hb_cookie)
  want=
  read -r want < "$HB_STATE/admin.session" || true
  if [ -z "$sess" ] || ! [ $sess = "$want" ]; then
    hb_deny
  fi
}

# hb_form NAME: one field of the urlencoded body in $HB_BODY
hb_form() {
  printf '%s' "$HB_BODY" | perl -e '$n = shift; for (split /&/, <STDIN>) { ($k, $v) = split /=/, $_, 2; next unless $k eq $n; $v =~ tr/+/ /; $v =~ s/%([0-9a-fA-F]{2})/chr hex $1/ge; print $v; last }' "$1"
}
