"""The register of outgoing letter numbers.

A number is ``number_format`` filled with the classification code, the
sequence, the unit and the year (default ``{classification}/{seq}/{unit}/{year}``).
The sequence restarts each year and is given only when the Kadis signs, inside
that command's transaction: a counter row per (unit, year) is made or incremented
by one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (the row lock serialises signers on PostgreSQL;
SQLite serialises writers anyway) and the register's unique constraint is the
last guard. A rolled-back signing gives its number back with the rest of the
transaction; a voided number stays in the register and is never given again.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from engine.letters.config import LetterSettings, unset
from engine.letters.indonesian import local, roman_month
from engine.storage.letter_models import LetterCounter, LetterNumber
from engine.storage.prepared import Prepared

UNSET_CLASSIFICATION = unset("KODE KLASIFIKASI")
# built once (every signature runs it): the counter's row made at 1 or moved on by one, in one
# upsert by each dialect; its row lock (PostgreSQL) holds other signers until this commit
_TAKE_SEQ = {name: Prepared(dialect.insert(LetterCounter)
                            .values(series=bindparam("of_series"), year=bindparam("of_year"), last_seq=1)
                            .on_conflict_do_update(index_elements=[LetterCounter.series, LetterCounter.year],
                                                   set_={"last_seq": LetterCounter.last_seq + 1})
                            .returning(LetterCounter.last_seq))
             for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}
_REGISTER = Prepared(insert(LetterNumber))


class _Blank:
    """The sequence of a draft: printed as a gap, whatever its format spec."""

    def __format__(self, _spec: str) -> str:
        return "\u2002" * 5


def format_number(settings: LetterSettings, seq: int | None, when: datetime) -> str:
    """The letter number for ``seq`` (a gap in a draft, where ``seq`` is None)."""
    day = local(when)
    return settings.number_format.format(
        classification=settings.classification or UNSET_CLASSIFICATION,
        seq=_Blank() if seq is None else seq, unit=settings.unit, year=day.year, month=day.month,
        month_roman=roman_month(day))


def assign(session, settings: LetterSettings, *, instance_id: str, kind: str, by: str | None,
           now: datetime) -> str:
    """Give the next number of this year to a letter (in the caller's transaction); the number."""
    series, year = settings.unit, local(now).year
    dialect = "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"
    seq = _TAKE_SEQ[dialect].scalar(session, {"of_series": series, "of_year": year})
    number = format_number(settings, seq, now)
    _REGISTER.run(session, dict(series=series, year=year, seq=seq, number=number, instance_id=instance_id,
                                kind=kind, assigned_at=now, assigned_by=by), later=True)
    return number


def void(session, number: str, *, by: str | None, reason: str, now: datetime) -> LetterNumber | None:
    """Mark ``number`` void (it stays in the register); None when unknown."""
    row = session.scalars(select(LetterNumber).where(LetterNumber.number == number)).first()
    if row is not None and row.voided_at is None:
        row.voided_at, row.voided_by, row.void_reason = now, by, reason
    return row


def void_unsent(session, instance_id: str, sent: set, now: datetime) -> None:
    """Void the numbers of an instance that ended before their letter went out."""
    for row in session.scalars(select(LetterNumber).where(LetterNumber.instance_id == instance_id,
                                                          LetterNumber.voided_at.is_(None))):
        if row.number not in sent:
            row.voided_at, row.voided_by = now, "system"
            row.void_reason = "Permohonan berakhir sebelum surat dikirim"


def register(session, year: int, series: str) -> list[LetterNumber]:
    """The register of one year, in order."""
    return list(session.scalars(select(LetterNumber).where(
        LetterNumber.year == year, LetterNumber.series == series).order_by(LetterNumber.seq)))
