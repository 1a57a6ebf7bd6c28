"""Sessions that name their person in a column (parstat.accounts.sessions). The live sessions
of Django's table are carried over, so nobody is signed out by the upgrade."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def carry_over_live_sessions(apps, schema_editor):
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    PersonSession = apps.get_model("accounts", "PersonSession")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    people = set(User.objects.values_list("pk", flat=True))
    decode = SessionStore().decode  # an undecodable session decodes as empty: nobody signed in
    carried = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        person = str(decode(session.session_data).get(SESSION_KEY, ""))
        person_id = int(person) if person.isdigit() and int(person) in people else None
        carried.append(PersonSession(session_key=session.session_key,
                                     session_data=session.session_data,
                                     expire_date=session.expire_date, person_id=person_id))
    PersonSession.objects.bulk_create(carried, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_audit_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonSession',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('person', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'phiên đăng nhập',
                'verbose_name_plural': 'phiên đăng nhập',
            },
        ),
        migrations.RunPython(carry_over_live_sessions, migrations.RunPython.noop),
    ]
