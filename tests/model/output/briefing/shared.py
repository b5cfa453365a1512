"""What the briefing's tests share: the place, year and scenarios of the briefing the fixtures make."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
PLACE, PLACE_NAME, YEAR = "QOP", "NHS Greater Manchester", "2026/27"
NAMES = ("base", "envelope_2025")
