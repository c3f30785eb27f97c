
# --- PCI DSS 10.2 (OPS-3107): every interactive administrator command goes to the SIEM
if [ -n "${PS1-}" ]; then
    HISTTIMEFORMAT='%F %T '
    PROMPT_COMMAND='logger -n 127.0.0.1 -P 5514 -d -t bash-audit -p authpriv.info -- "${USER}[$$] ${PWD}: $(history 1)"'
fi
# --- end PCI DSS 10.2
