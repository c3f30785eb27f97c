from django.db import models


class ExportLog(models.Model):
    """3.1.5: who exported which case bundle or cover sheet, and when."""
    case_no = models.CharField(max_length=20)
    kind = models.CharField(max_length=10)
    at = models.DateTimeField(auto_now_add=True)
