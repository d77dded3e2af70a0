"""Background work of the records app, run by the huey consumer (``manage.py run_huey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task(retries=3, retry_delay=30)
def render_pdf(document_id: int) -> None:
    """Render the PDF of a document the case engine issued (LibreOffice takes about a second)."""
    services.render_pending_pdf(document_id)


@db_task(retries=2, retry_delay=60)
def build_dossier(case_id: int) -> None:
    """Assemble the 案卷 of a case that has just been closed (R4)."""
    from zhifa.cases.models import Case

    from . import dossier

    dossier.build(Case.objects.select_related("agency", "procedure").get(pk=case_id))


@db_periodic_task(crontab(minute="30", hour="3"))
def sweep_abandoned_uploads() -> int:
    """Resumable uploads left unfinished for 7 days give their staging space back."""
    from .tus import sweep_expired

    return sweep_expired()
