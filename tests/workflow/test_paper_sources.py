"""The hand-written LaTeX: cross-references by label, never typed by hand."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "paper").glob("**/*.tex"))
# "Section 2", "Sec.~3.1", "Fig. 4", "Eq. (5)", "Table 1", "§2": a number typed where \ref belongs
HAND_TYPED = re.compile(
    r"(Sections?|Secs?\.|Figures?|Figs?\.|Eqs?\.|Equations?|Tables?|Appendix|\\S|§)"
    r"(~|\s|\\,)*\(?\d",
)


def test_paper_sources_exist():
    assert ROOT / "paper/main.tex" in SOURCES


def test_no_hand_typed_cross_reference():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAND_TYPED.search(line.split("%")[0] if not line.lstrip().startswith("%") else "")
    ]
    assert found == [], "use \\ref for cross-references:\n" + "\n".join(found)
