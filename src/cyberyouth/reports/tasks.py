"""Background generation of large documents (run by `cyberyouth worker`)."""

from django_tasks import task


@task(queue_name="default")
def generate_document(document_id: int) -> dict:
    """Make the files of one requested document version; progress is written on the version."""
    from .services import document_generate

    document = document_generate(document_id=document_id)
    return {"document": document.id, "status": document.status}
