"""Problems found in a process definition, named by element, in two languages."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem: which element, and what is wrong (Indonesian and English)."""

    element_id: str | None
    message_id: str
    message_en: str

    def message(self, lang: str = "id") -> str:
        """The message in ``lang``."""
        return self.message_id if lang == "id" else self.message_en


class DeployError(Exception):
    """A process definition that failed validation; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.element_id}: {p.message_en}" for p in problems))
        self.problems = problems
