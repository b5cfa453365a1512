"""The briefing as a tagged PDF, printed from its HTML by WeasyPrint.

WeasyPrint is pure Python over Debian's pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``): no
browser, about a second for a briefing. The PDF is PDF/UA-1 (tagged: headings, tables, figures
with their alt text, the document's language and title), A4, with the fonts embedded.

Nothing is fetched: the HTML holds its fonts and images as data URIs, and the URL fetcher
refuses anything else. Without WeasyPrint or its libraries :func:`render` raises
:class:`PdfUnavailable` saying what to install, and the HTML and DOCX are still made.
"""

from __future__ import annotations

import logging
import threading

PDF_VARIANT = "pdf/ua-1"
_LOCK = threading.Lock()
"""One PDF at a time: WeasyPrint shares pango and fontconfig state between threads."""


class PdfUnavailable(RuntimeError):
    """The PDF cannot be made on this machine; the message says why and what to install."""


def problem() -> str | None:
    """Why a PDF cannot be made here, or None when it can."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return "WeasyPrint is not installed (pip install weasyprint); the PDF was not written"
    except OSError as error:
        return (f"WeasyPrint cannot load pango ({error}); install Debian's libpango-1.0-0 and libpangoft2-1.0-0 "
                "(make system-deps); the PDF was not written")
    return None


def _fetcher() -> object:
    """WeasyPrint's URL fetcher for the briefing: data URIs only, never the network or a file (a
    URLFetcher from WeasyPrint 68, a function before)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 68: fetchers are functions
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
            if url.startswith("data:"):
                fetched: dict[str, object] = default_url_fetcher(url, *args, **kwargs)
                return fetched
            raise ValueError(f"the briefing fetches nothing, but asked for {url[:80]}")

        return fetch
    return URLFetcher(allowed_protocols=("data",))


def render(html: str) -> bytes:
    """The PDF of ``html``; raises PdfUnavailable when WeasyPrint cannot run here."""
    reason = problem()
    if reason:
        raise PdfUnavailable(reason)
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    with _LOCK:
        document = weasyprint.HTML(string=html, url_fetcher=_fetcher())
        pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
        return pdf
