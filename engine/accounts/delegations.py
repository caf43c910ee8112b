"""Acting officials (Plt): a Kadis or Kabid hands their lane to a deputy for a
range of days; meanwhile the deputy's inbox holds the lane's tasks and each
completion is recorded on behalf of the official."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from engine.accounts.views import DelegationView
from engine.calendar.dates import WITA
from engine.errors import Forbidden, InvalidData, NotFound
from engine.storage.account_models import AccountEvent, Delegation
from engine.storage.models import Agency, User, UserRole

DELEGABLE = {"kadis": "Kadis", "kabid": "Kabid"}  # role -> lane
LANE_POSITIONS = {"Kadis": ("Kepala Dinas", "Head of Agency"), "Kabid": ("Kepala Bidang", "Head of Division")}
MAX_DAYS = 366
# Who may stand in for an official: the officials who work the SOP's lanes. Managers,
# analysts and admins read or configure; a delegation must not give them a lane's powers.
DEPUTY_ROLES = ("kadis", "kabid", "subkoordinator", "staf")


def today(now: datetime) -> date:
    """The calendar day in Tarakan (WITA) at ``now``."""
    return now.astimezone(WITA).date()


def acting_for(session, username: str, day: date) -> tuple:
    """(lane, official, official's position) of each lane ``username`` stands in for on ``day``."""
    rows = session.execute(
        select(Delegation.lane, Delegation.official, User.position)
        .join(User, User.username == Delegation.official)
        .where(Delegation.deputy == username, Delegation.starts_on <= day, Delegation.ends_on >= day,
               Delegation.cancelled_at.is_(None), User.active.is_(True), _holds_deputy_role(username))
        .order_by(Delegation.id)).all()
    return tuple((lane, official, position or LANE_POSITIONS[lane][0]) for lane, official, position in rows)


def _holds_deputy_role(username: str):
    """True (in SQL) while ``username`` still holds a role that may stand in for an official."""
    deputy = select(User.id).where(User.username == username).scalar_subquery()
    return select(UserRole.user_id).where(UserRole.user_id == deputy,
                                          UserRole.role.in_(DEPUTY_ROLES)).exists()


def _candidates(session, actor) -> list[tuple[str, str]]:
    staff = select(UserRole.user_id).where(UserRole.role.in_(DEPUTY_ROLES))
    rows = session.execute(select(User.username, User.full_name)
                           .where(User.active.is_(True), User.id.in_(staff), User.username != actor.username)
                           .order_by(User.full_name, User.username)).all()
    return [(u, n) for u, n in rows]


def _error(field: str, id_text: str, en_text: str, lang: str) -> InvalidData:
    return InvalidData({field: [id_text if lang == "id" else en_text]})


class Delegations:
    """Naming, listing and ending acting officials (the engine's ``delegations``)."""

    def __init__(self, kernel):
        self.kernel = kernel

    def lane_of(self, actor) -> str:
        """The lane the actor may hand over; Forbidden for anyone but a Kadis or Kabid."""
        lane = next((lane for role, lane in DELEGABLE.items() if actor.has(role)), None)
        if lane is None:
            raise Forbidden("only a Kadis or Kabid names an acting official",
                            "hanya Kepala Dinas atau Kepala Bidang yang menunjuk Plt")
        return lane

    def given_by(self, actor) -> list[DelegationView]:
        """The delegations the actor gave, newest first."""
        lane = self.lane_of(actor)
        now = self.kernel.clock.now()
        with self.kernel.db.reading() as session:
            rows = session.scalars(select(Delegation).where(Delegation.official == actor.username,
                                                            Delegation.lane == lane)
                                   .order_by(Delegation.starts_on.desc(), Delegation.id.desc()))
            return [self._view(session, r, today(now)) for r in rows]

    def listed(self, actor) -> list[DelegationView]:
        """The delegations the actor gave or stands in for (every one for an admin), newest first."""
        now = self.kernel.clock.now()
        query = select(Delegation).order_by(Delegation.starts_on.desc(), Delegation.id.desc())
        if not actor.has("admin"):
            query = query.where(or_(Delegation.official == actor.username, Delegation.deputy == actor.username))
        with self.kernel.db.reading() as session:
            return [self._view(session, r, today(now)) for r in session.scalars(query)]

    def candidates(self, actor) -> list[tuple[str, str]]:
        """(username, full name) of the active Diskominfo accounts that may act for the actor."""
        self.lane_of(actor)
        with self.kernel.db.reading() as session:
            return _candidates(session, actor)

    def name(self, actor, deputy: str, starts_on, ends_on, lang: str = "id") -> DelegationView:
        """Hand the actor's lane to ``deputy`` from ``starts_on`` to ``ends_on`` (inclusive)."""
        lane = self.lane_of(actor)
        now = self.kernel.clock.now()
        first, last = self._days(starts_on, ends_on, today(now), lang)
        with self.kernel.db.transaction() as session:
            if deputy not in {u for u, _ in _candidates(session, actor)}:
                raise _error("deputy", "Pilih pegawai aktif lain sebagai Plt.",
                             "Choose another active employee as acting official.", lang)
            overlap = session.scalar(select(Delegation.id).where(
                Delegation.official == actor.username, Delegation.lane == lane,
                Delegation.cancelled_at.is_(None), Delegation.starts_on <= last, Delegation.ends_on >= first))
            if overlap is not None:
                raise _error("starts_on", "Sudah ada Plt pada sebagian tanggal ini; akhiri dulu yang lama.",
                             "An acting official is already named for some of these days; end it first.",
                             lang)
            row = Delegation(official=actor.username, deputy=deputy, lane=lane, starts_on=first, ends_on=last,
                             created_at=now)
            session.add(row)
            session.flush()
            session.add(AccountEvent(at=now, actor=actor.username, target=f"user:{deputy}",
                                     action="delegation_named",
                                     data={"lane": lane, "from": first.isoformat(), "to": last.isoformat()}))
            return self._view(session, row, today(now))

    def cancel(self, delegation_id: int, actor) -> None:
        """End a delegation the actor gave, or any one for an admin (from now on)."""
        now = self.kernel.clock.now()
        with self.kernel.db.transaction() as session:
            row = session.get(Delegation, int(delegation_id))
            if row is None or (row.official != actor.username and not actor.has("admin")):
                raise NotFound("no such delegation", "penunjukan Plt tidak ditemukan")
            row.cancelled_at = row.cancelled_at or now
            session.add(AccountEvent(at=now, actor=actor.username, target=f"user:{row.deputy}",
                                     action="delegation_ended", data={"id": row.id, "lane": row.lane}))

    def positions(self, usernames) -> dict[str, str]:
        """The position of each named account (for "a.n." / "Plt." on pages); an agency's
        account speaks for its agency, so it is named by the agency's full name."""
        names = sorted({u for u in usernames if u})
        if not names:
            return {}
        with self.kernel.db.reading() as session:
            rows = session.execute(select(User.username, User.position, Agency.name)
                                   .outerjoin(Agency, Agency.id == User.agency_id)
                                   .where(User.username.in_(names))).all()
            return {u: agency or p or u for u, p, agency in rows}

    @staticmethod
    def _days(starts_on, ends_on, now_day: date, lang: str) -> tuple[date, date]:
        try:
            first, last = (d if isinstance(d, date) else date.fromisoformat(str(d)) for d in (starts_on, ends_on))
        except ValueError:
            raise _error("starts_on", "Isi tanggal mulai dan selesai (TTTT-BB-HH).",
                         "Enter the first and last day (YYYY-MM-DD).", lang) from None
        if last < first:
            raise _error("ends_on", "Tanggal selesai tidak boleh sebelum tanggal mulai.",
                         "The last day cannot be before the first.", lang)
        if last < now_day:
            raise _error("ends_on", "Tanggal selesai sudah lewat.", "The last day has passed.", lang)
        if last - first > timedelta(days=MAX_DAYS):
            raise _error("ends_on", "Paling lama satu tahun.", "At most one year.", lang)
        return first, last

    @staticmethod
    def _view(session, row: Delegation, day: date) -> DelegationView:
        official = session.scalars(select(User).where(User.username == row.official)).first()
        deputy = session.scalar(select(User.full_name).where(User.username == row.deputy))
        return DelegationView(row.id, row.official,
                              (official.position if official else None) or LANE_POSITIONS[row.lane][0],
                              row.deputy, deputy or row.deputy, row.lane, row.starts_on, row.ends_on,
                              row.cancelled_at is not None,
                              row.cancelled_at is None and row.starts_on <= day <= row.ends_on)
