"""Anonymous v3 listings of images and documents: only the files that
something public uses (see :mod:`cms.visibility`).

The guard in :mod:`cms.api.v3` sends anonymous listings here: Wagtail's own
listing views over these querysets (see :mod:`cms.compat.v3_listings`).
"""

from functools import partial

from wagtail.documents.api.v3.router import get_documents_queryset
from wagtail.images.api.v3.router import get_images_queryset

from cms.compat.v3_listings import file_listing
from cms.visibility import publicly_used

#: Kind of file → Wagtail's queryset of them for a request.
BASE_QUERYSETS = {"images": get_images_queryset, "documents": get_documents_queryset}


def public_queryset(kind, request):
    """The files of ``kind`` an anonymous request may see."""
    return publicly_used(BASE_QUERYSETS[kind](request))


#: Kind of file → the anonymous listing view.
LISTINGS = {kind: file_listing(kind, partial(public_queryset, kind)) for kind in BASE_QUERYSETS}
