"""``flask --app api.app vicon-verify-audit [--instance ID]``: recompute the
hash chains of the audit trail and name the first broken event (exit code 1)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from engine import NotFound, Oversight

from api.context import EXTENSION


@click.command("vicon-verify-audit")
@click.option("--instance", "instance_id", default=None, help="Verify this request only (its id).")
@with_appcontext
def verify_audit_command(instance_id):
    """Verify the audit trail of every request (or of one); exit 1 when a chain is broken."""
    try:
        check = Oversight(current_app.extensions[EXTENSION]).verify_chains(instance_id)
    except NotFound:
        raise click.ClickException(f"no request {instance_id}")
    if check.ok:
        click.echo(f"audit trail intact: {check.instances} requests, {check.events} events")
        return
    first = check.first_broken
    click.echo(f"audit trail BROKEN in {check.broken_count} request(s); first broken event: "
               f"instance {first.instance_id} seq {first.first_broken_seq} ({first.reason})")
    for report in check.broken[1:]:
        click.echo(f"  instance {report.instance_id} seq {report.first_broken_seq} "
                   f"({report.reason})")
    raise SystemExit(1)
