"""Notifications for the caller, and the working calendar (admins edit it)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint

from api.context import actor, engine, lang
from api.errors import ApiError
from api.resources.openapi import operation
from api.resources.payloads import answer, json_body, query, shared
from api.resources.schemas.time import (CalendarQuerySchema, ClosedDayRequestSchema, ClosedDaySchema,
                           NotificationQuerySchema, NotificationSchema, NotificationsMarkedSchema)

bp = Blueprint("time", __name__)


@bp.get("/notifications")
@operation("Pengingat dan eskalasi untuk pengguna", response=NotificationSchema, many=True,
           query=NotificationQuerySchema, tag="notifications")
def list_notifications():
    """The caller's notifications, newest first."""
    args = query(shared(NotificationQuerySchema))
    return answer(shared(NotificationSchema, many=True), engine().notifications(actor(), args["unread"], lang()))


@bp.post("/notifications/<int(max=2147483647):notification_id>/read")
@operation("Tandai notifikasi sudah dibaca", response=NotificationSchema, errors=(404,),
           tag="notifications")
def read_notification(notification_id: int):
    """Mark one of the caller's notifications read."""
    return answer(shared(NotificationSchema), engine().mark_notification_read(notification_id, actor(), lang()))


@bp.post("/notifications/read-all")
@operation("Tandai semua notifikasi sudah dibaca", response=NotificationsMarkedSchema, tag="notifications")
def read_all_notifications():
    """Mark every unread notification of the caller read."""
    return answer(shared(NotificationsMarkedSchema), {"marked": engine().mark_all_notifications_read(actor())})


@bp.get("/calendar/closed-days")
@operation("Hari libur nasional, cuti bersama dan hari tutup lainnya", response=ClosedDaySchema,
           many=True, query=CalendarQuerySchema, tag="calendar")
def list_closed_days():
    """The closed days of a year."""
    year = query(shared(CalendarQuerySchema))["year"] or engine().clock.now().year
    return answer(shared(ClosedDaySchema, many=True), engine().closed_days(year, actor()))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(404, "not_found", "not_found") from None


@bp.put("/calendar/closed-days/<day>")
@operation("Tetapkan hari tutup (admin)", body=ClosedDayRequestSchema, response=ClosedDaySchema,
           errors=(403, 404, 422), tag="calendar")
def close_day(day: str):
    """Close the office on ``day`` (YYYY-MM-DD)."""
    body = json_body(shared(ClosedDayRequestSchema))
    return answer(shared(ClosedDaySchema), engine().close_day(_day(day), body["name"], body["kind"], actor()))


@bp.delete("/calendar/closed-days/<day>")
@operation("Buka kembali hari tutup (admin)", status=204, errors=(403, 404), tag="calendar")
def reopen_day(day: str):
    """Make a closed day a working day again."""
    if not engine().reopen_day(_day(day), actor()):
        raise ApiError(404, "not_found", "not_found")
    return "", 204
