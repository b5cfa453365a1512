"""Make docs/images/briefing_page1.png: the first page of a board briefing's PDF as a picture.

    .venv/bin/python docs/images/briefing_screenshot.py [--icb QOP] [SCENARIO ...]

Writes the briefing with ``icb-model briefing`` into a temporary folder and renders the PDF's
first page with pypdfium2 (in the ``test`` extra; ``pdftoppm -png -r 110 -f 1 -l 1`` from
Debian's poppler-utils does the same).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", default=["base", "envelope_2025"])
    parser.add_argument("--icb", default="QOP")
    parser.add_argument("--out", type=Path, default=HERE / "briefing_page1.png")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import pypdfium2

    from model.cli import main as icb_model

    with tempfile.TemporaryDirectory() as folder:
        status = icb_model(["--root", str(ROOT), "briefing", *args.scenarios, "--icb", args.icb, "--out", folder])
        if status:
            return status
        document = pypdfium2.PdfDocument(str(Path(folder) / "briefing.pdf"))
        document[0].render(scale=110 / 72).to_pil().save(args.out, optimize=True)
        document.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
