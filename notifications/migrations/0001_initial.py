# The outbox moved here from accounts (ADR 0014). Nothing had been deployed, so the table is created afresh
# (notifications_outboundemail) rather than renamed from accounts_outboundemail.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OutboundEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dedupe_key', models.CharField(max_length=200, unique=True)),
                ('template', models.CharField(help_text='Name of the template folder under templates/emails/.', max_length=80)),
                ('category', models.CharField(choices=[('transactional', 'About something you did or need to do'), ('digest', 'Digest or reminder you can switch off')], default='transactional', max_length=20)),
                ('to_email', models.EmailField(max_length=254)),
                ('subject', models.CharField(max_length=250)),
                ('body_text', models.TextField()),
                ('body_html', models.TextField(blank=True)),
                ('raw_message', models.BinaryField(default=b'')),
                ('status', models.CharField(choices=[('pending', 'Waiting to send'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('claimed_at', models.DateTimeField(blank=True, null=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('last_error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='emails', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'outbound email',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='outbox_due_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'sending', 'sent', 'failed'])), name='outbox_status_valid')],
            },
        ),
    ]
