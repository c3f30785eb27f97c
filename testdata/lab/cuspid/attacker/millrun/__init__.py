"""millrun: Harrow Dental Laboratory's milling queue (the worker and the daily report)."""
__version__ = "1.3.0"
CONF_PATH = "/etc/millrun/millrun.json"
SPOOL = "/var/spool/millrun"
