from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="ExportLog",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("case_no", models.CharField(max_length=20)),
                ("kind", models.CharField(max_length=10)),
                ("at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
