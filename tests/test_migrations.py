"""Every model change ships with its migration (a model edited without one migrates nothing on a
deployment and fails there, not here)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
