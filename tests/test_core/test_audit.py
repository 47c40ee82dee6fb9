"""The audit trail: recorded by the services, append-only, read, filtered and exported by administrators."""
import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core import audit
from core.auth import services
from core.extensions import db
from core.models import AuditEvent, AuditTrailError, Role, utcnow
from core.organisations.services import merge_organisations


def events(action=None):
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return db.session.scalars(stmt).all()


# --- recording -------------------------------------------------------------------------------------------------

def test_record_keeps_ids_and_codes(db, admin, make_organisation):
    org = make_organisation("Coompanion")
    line = audit.record("organisation.merged", target=org, actor=admin, merged_id=7, roles={"b", "a"})
    db.session.commit()
    assert (line.action, line.actor_id, line.target_type, line.target_id) == (
        "organisation.merged", admin.id, "organisations", org.id)
    assert line.details == {"merged_id": 7, "roles": ["a", "b"]}
    assert line.at <= utcnow()


def test_record_refuses_unknown_actions_and_objects_in_details(db, admin):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record("something.else")
    with pytest.raises(TypeError):
        audit.record("user.invited", target=admin, user=admin)


def test_record_is_part_of_the_callers_transaction(db, admin):
    audit.record("user.invited", target=admin)
    db.session.rollback()
    assert events() == []


def test_the_orm_refuses_to_change_or_delete_a_line(db, admin):
    line = audit.record("user.invited", target=admin)
    db.session.commit()
    line.action = "api_token.created"
    with pytest.raises(AuditTrailError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, line.id))
    with pytest.raises(AuditTrailError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditTrailError):
        db.session.execute(sa.update(AuditEvent).values(action="x"))
    db.session.rollback()
    with pytest.raises(AuditTrailError):
        db.session.execute(sa.delete(AuditEvent))
    db.session.rollback()
    assert [e.action for e in events()] == ["user.invited"]


# --- the core services record their actions --------------------------------------------------------------------

def test_role_changes_and_invitations_are_recorded(db, admin, make_organisation):
    org = make_organisation("Coompanion")
    user = services.invite_user("ny@test.example", "Nina", [Role.RESPONDENT], [org.id])
    services.update_user(user, "Nina", [Role.RESPONDENT, Role.SKRIVARGRUPP], [org.id], True)
    services.update_user(user, "Nina Ny", [Role.RESPONDENT, Role.SKRIVARGRUPP], [org.id], True)  # name only
    invited, changed = events()
    assert invited.action == "user.invited" and invited.target_id == user.id
    assert changed.action == "user.roles_changed"
    assert changed.details["roles_before"] == ["respondent"]
    assert changed.details["roles"] == ["respondent", "skrivargrupp"]
    assert "ny@test.example" not in str(invited.details) + str(changed.details)


def test_api_tokens_and_merges_are_recorded(db, admin, make_organisation):
    row, _raw = services.create_api_token(admin, "skript")
    services.revoke_api_token(row)
    keep, drop = make_organisation("Coompanion"), make_organisation("Coompanion Värmland")
    drop_id = drop.id
    merge_organisations(keep, drop)
    created, revoked, merged = events()
    assert (created.action, created.target_id, created.details) == ("api_token.created", row.id,
                                                                    {"user_id": admin.id})
    assert revoked.action == "api_token.revoked"
    assert merged.action == "organisation.merged" and merged.target_id == keep.id
    assert merged.details["merged_id"] == drop_id


def test_create_admin_command_is_recorded_without_an_actor(runner, db):
    result = runner.invoke(args=["create-admin", "--email", "chef@test.example", "--password", "ett långt lösenord"])
    assert result.exit_code == 0, result.output
    (line,) = events("user.roles_changed")
    assert line.actor_id is None and line.details["roles"] == ["admin"]


def test_the_logged_in_user_is_the_actor(client, auth, admin, forms, db):
    auth.login()
    forms.post("/konto/nycklar", {"name": "skript"}, page="/konto")
    (line,) = events("api_token.created")
    assert line.actor_id == admin.id


# --- the administrators' page ----------------------------------------------------------------------------------

@pytest.fixture
def trail(db, admin, moderator):
    now = utcnow()
    lines = [
        AuditEvent(action="remiss.published", actor_id=admin.id, target_type="remisses", target_id=1,
                   at=now - timedelta(days=10), details={}),
        AuditEvent(action="minutes.approved", actor_id=moderator.id, target_type="meetings", target_id=2,
                   at=now - timedelta(days=1), details={"signer_id": 3, "final": True}),
        AuditEvent(action="gdpr.erased", actor_id=None, details={"registrations": 2}, at=now),
    ]
    db.session.add_all(lines)
    db.session.commit()
    return lines


def test_only_administrators_read_the_trail(client, auth, moderator, trail):
    auth.login_as(moderator)
    assert client.get("/admin/logg/").status_code == 403
    assert client.get("/admin/logg/export.csv").status_code == 403


def shown(client, url):
    """The events column of the trail's table."""
    html = client.get(url).get_data(as_text=True)
    return re.findall(r'<td data-label="Händelse">([^<]+)</td>', html), html


def test_administrators_read_and_filter_the_trail(client, auth, admin, moderator, trail):
    auth.login()
    rows, html = shown(client, "/admin/logg/")
    assert rows == ["Personuppgifter raderade på begäran", "Anteckningar godkända", "Remiss publicerad"]
    assert "3 händelser" in html and "ingen inloggad" in html
    rows, html = shown(client, "/admin/logg/?action=minutes.approved")
    assert rows == ["Anteckningar godkända"] and "Moa Moderator" in html and "final=True, signer_id=3" in html
    rows, _html = shown(client, "/admin/logg/?actor=ADMIN@test.example")
    assert rows == ["Remiss publicerad"]
    today = utcnow().date()
    rows, _html = shown(client, f"/admin/logg/?date_from={today - timedelta(days=2)}&date_to={today + timedelta(days=1)}")
    assert rows == ["Personuppgifter raderade på begäran", "Anteckningar godkända"]


def test_bad_filters_are_explained_beside_the_field_and_kept(client, auth, admin, trail):
    auth.login()
    html = client.get("/admin/logg/?actor=okand@test.example&date_from=igår").get_data(as_text=True)
    assert "Det finns inget konto med den e-postadressen." in html
    assert "Skriv ett datum som 2026-12-01." in html
    assert 'value="okand@test.example"' in html and 'value="igår"' in html
    assert "3 händelser" in html  # the bad filters are left out, not the whole list


def test_export_is_a_csv_of_the_filtered_lines(client, auth, admin, trail):
    auth.login()
    response = client.get("/admin/logg/export.csv?action=gdpr.erased")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["tid", "utförd av (id)", "händelse", "kod"]
    assert len(rows) == 2 and rows[1][3] == "gdpr.erased" and rows[1][6] == "registrations=2"
