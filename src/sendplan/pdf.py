"""The board report as an accessible A4 PDF: the HTML report through WeasyPrint (extra `pdf`).

Tagged PDF/UA-1 with the document's title and language, bookmarks from the headings, page
numbers and the report's name in the page margins (templates/report.pdf.css).
"""

from __future__ import annotations

import logging
from importlib.resources import files
from typing import Any

from sendplan.errors import SendplanError

PDF_VARIANT = "pdf/ua-1"  # tagged PDF 1.7 with a structure tree, title and language
INSTALL = "pip install 'sendplan[pdf]'"


def print_css() -> str:
    """The paged-media stylesheet that WeasyPrint adds to the HTML report's own CSS."""
    return (files("sendplan.templates") / "report.pdf.css").read_text(encoding="utf-8")


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise SendplanError(f"PDF output needs WeasyPrint; run: {INSTALL}") from None
    except OSError as e:  # WeasyPrint is installed but cannot load Pango
        raise SendplanError(
            f"WeasyPrint cannot load the Pango library ({e}); on Debian or Ubuntu run: "
            "apt-get install libpangoft2-1.0-0 (see WeasyPrint's installation guide)"
        ) from None
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML page as a tagged A4 PDF (PDF/UA-1)."""
    weasyprint = _weasyprint()
    # WeasyPrint warns through logging (unsupported CSS, refused URLs); keep the CLI quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # The report is self-contained: rendering it reads no file and no network, only data: URLs.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        stylesheets=[weasyprint.CSS(string=print_css(), url_fetcher=fetcher)],
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        custom_metadata=False,
    )
    return pdf
