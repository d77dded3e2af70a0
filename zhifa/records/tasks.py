"""Background work of the records app, run by the huey consumer (``manage.py run_huey``)."""

from huey.contrib.djhuey import db_task

from . import services


@db_task(retries=3, retry_delay=30)
def render_pdf(document_id: int) -> None:
    """Render the PDF of a document the case engine issued (LibreOffice takes about a second)."""
    services.render_pending_pdf(document_id)
