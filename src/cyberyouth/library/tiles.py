"""The library's tile on the student's home (a hook of students.registry): the e-library, open to
every student — reading it needs no consent, since nothing about the reader is kept."""

from django.urls import reverse

from .models import Product, Status


def student_tiles(request, student) -> list:
    from cyberyouth.students.registry import Tile

    count = Product.objects.filter(status=Status.PUBLISHED).count()
    if not count:
        return []
    return [Tile(title="Thư viện điện tử", url=reverse("library:index"), icon="▤",
                 text=f"{count} infographic, video, sách điện tử về lịch sử, tấm gương và an toàn trên mạng.")]
