#!/usr/bin/env python3
"""Docket's management entry point (Django's manage.py)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
