"""Unit tests of the organisation registry's rules: numbers, fields, search, merge, export."""
import pytest
import sqlalchemy as sa

from core.models import Membership, Organisation, Role
from core.organisations import services
from core.organisations.services import OrganisationError, OrganisationErrors

VALID = ["802473-5832", "769607-4496", "802418-4734", "802469-9889", "232100-0131"]


@pytest.mark.parametrize("number", VALID)
def test_luhn_accepts_real_numbers(number):
    assert services.luhn_ok(number.replace("-", ""))


@pytest.mark.parametrize("number", ["8024735833", "7696074495", "2321000130", "1234567890", "", "12345abcde"])
def test_luhn_rejects_wrong_check_digit(number):
    assert not services.luhn_ok(number)


@pytest.mark.parametrize("raw", ["802473-5832", "8024735832", "802473–5832", "802473 - 5832", " 802473 5832 ",
                                 "802473\u22125832", "802473\u20115832"])
def test_normalise_accepts_dash_variants_and_spaces(raw):
    assert services.normalise_org_number(raw) == "802473-5832"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_normalise_empty_is_none(raw):
    assert services.normalise_org_number(raw) is None


@pytest.mark.parametrize("raw", ["80247-35832", "802473-583", "19802473-5832", "abcdef-ghij", "802473--5832",
                                 "802473/5832"])
def test_normalise_rejects_bad_format(raw):
    with pytest.raises(OrganisationError) as err:
        services.normalise_org_number(raw)
    assert err.value.field == "org_number"
    assert str(err.value.message) == str(services.MSG_FORMAT)


def test_normalise_rejects_wrong_check_digit():
    with pytest.raises(OrganisationError) as err:
        services.normalise_org_number("802473-5833")
    assert str(err.value.message) == "Kontrollsiffran stämmer inte – kontrollera numret."


@pytest.mark.parametrize("raw, expected", [
    ("forening.se", "https://forening.se"),
    ("www.forening.se/om-oss", "https://www.forening.se/om-oss"),
    ("http://exempel.org", "http://exempel.org"),
    ("HTTPS://Exempel.org/x?y=1", "https://Exempel.org/x?y=1"),
    ("", None),
])
def test_website_normalised(raw, expected):
    assert services.normalise_website(raw) == expected


@pytest.mark.parametrize("raw", ["javascript:alert(1)", "ftp://exempel.se", "inte en adress", "localhost",
                                 "https://", "exempel..se"])
def test_website_rejected(raw):
    with pytest.raises(OrganisationError):
        services.normalise_website(raw)


def test_email_validated():
    assert services.normalise_email(" Info@Forening.se ") == "info@forening.se"
    assert services.normalise_email("") is None
    with pytest.raises(OrganisationError):
        services.normalise_email("info@")


def test_create_normalises_and_stores_null_for_empty_number(app, db):
    a = services.create_organisation({"name": "  Förening   Ett ", "org_number": "", "legal_form": "forening",
                                      "website": "ett.se", "contact_email": "", "notes": ""})
    b = services.create_organisation({"name": "Förening Två", "org_number": " ", "legal_form": "stiftelse"})
    assert a.name == "Förening Ett"
    assert a.org_number is None and b.org_number is None  # two empties do not clash with the unique index
    assert a.website == "https://ett.se"
    assert a.contact_email is None


def test_create_rejects_duplicate_number_and_names_the_other(app, db, make_organisation):
    other = make_organisation("Social Ekonomi Sjuhärad", org_number="802469-9889")
    with pytest.raises(OrganisationErrors) as err:
        services.create_organisation({"name": "Ny", "org_number": "8024699889"})
    dup = err.value.errors["org_number"]
    assert isinstance(dup, services.DuplicateNumber) and dup.other.id == other.id
    assert "Social Ekonomi Sjuhärad" in str(dup)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_update_keeps_own_number_and_reports_every_error(app, db, make_organisation):
    org = make_organisation("Fyrbodal", org_number="802473-5832")
    services.update_organisation(org, {"name": "Social Ekonomi Fyrbodal", "org_number": "8024735832",
                                       "legal_form": "natverk", "sub_region": "fyrbodal"})
    assert org.name == "Social Ekonomi Fyrbodal" and org.sub_region == "fyrbodal"
    with pytest.raises(OrganisationErrors) as err:
        services.update_organisation(org, {"name": "", "org_number": "802473-5833", "legal_form": "bolag",
                                           "sub_region": "mars", "contact_email": "x@", "website": "a b"})
    assert set(err.value.errors) == {"name", "org_number", "legal_form", "sub_region", "contact_email", "website"}
    db.session.rollback()
    assert db.session.get(Organisation, org.id).name == "Social Ekonomi Fyrbodal"


def test_mark_reviewed(app, make_organisation):
    org = make_organisation("Förslag", needs_review=True)
    services.mark_reviewed(org)
    assert org.needs_review is False


def _names(stmt, db):
    return [o.name for o in db.session.scalars(stmt)]


def test_search_by_name_number_email_and_filters(app, db, make_organisation):
    make_organisation("Social Ekonomi Fyrbodal", org_number="802473-5832", legal_form="natverk",
                      sub_region="fyrbodal")
    make_organisation("Röda korset", contact_email="info@rodakorset.se", sub_region="varmland")
    make_organisation("RSMH Värmland", legal_form="forening", needs_review=True)
    make_organisation("100%_förening")
    assert _names(services.search_statement("fyrbodal"), db) == ["Social Ekonomi Fyrbodal"]
    assert _names(services.search_statement("RÖDA"), db) == ["Röda korset"]
    assert _names(services.search_statement("8024735832"), db) == ["Social Ekonomi Fyrbodal"]
    assert _names(services.search_statement("802473-58"), db) == ["Social Ekonomi Fyrbodal"]
    assert _names(services.search_statement("rodakorset.se"), db) == ["Röda korset"]
    assert _names(services.search_statement("%_"), db) == ["100%_förening"]  # wildcards are literal
    assert _names(services.search_statement(legal_form="natverk"), db) == ["Social Ekonomi Fyrbodal"]
    assert _names(services.search_statement(sub_region="varmland"), db) == ["Röda korset"]
    assert _names(services.search_statement(needs_review=True), db) == ["RSMH Värmland"]
    assert len(_names(services.search_statement(sub_region="_none"), db)) == 2
    assert len(_names(services.search_statement(needs_review=False), db)) == 3


def test_paginate(app, db, make_organisation):
    for i in range(7):
        make_organisation(f"Org {i:02d}")
    page = services.paginate(services.search_statement(), page=2, per_page=3)
    assert page.total == 7 and page.pages == 3 and [o.name for o in page.items] == ["Org 03", "Org 04", "Org 05"]
    assert services.paginate(services.search_statement(), page=99, per_page=3).page == 3


# --- merge ------------------------------------------------------------------------------------

@pytest.fixture
def two_duplicates(db, make_organisation, make_user):
    keep = make_organisation("Social Ekonomi Fyrbodal", notes="Plattform i Fyrbodal.", legal_form="ovrigt")
    drop = make_organisation("Soc. Ekonomi Fyrbodal", org_number="802473-5832", legal_form="natverk",
                             sub_region="fyrbodal", website="https://fyrbodal.example", notes="Föreslagen vid anmälan.",
                             contact_email="info@fyrbodal.example")
    both = make_user("bada@test.example", roles=[Role.RESPONDENT], organisations=[keep])
    both.memberships.append(Membership(organisation=drop, can_sign=True))
    keep.memberships[0].can_sign = False
    only_drop = make_user("dubblett@test.example", roles=[Role.RESPONDENT], organisations=[drop], can_sign=False)
    only_keep = make_user("kvar@test.example", roles=[Role.RESPONDENT], organisations=[keep])
    db.session.commit()
    return keep, drop, both, only_drop, only_keep


def test_plan_merge_describes_what_moves(app, two_duplicates):
    keep, drop, both, only_drop, _ = two_duplicates
    plan = services.plan_merge(keep, drop)
    assert plan.move_members == [only_drop]
    assert plan.shared_members == [both]
    assert plan.filled == {"org_number": "802473-5832", "sub_region": "fyrbodal",
                           "contact_email": "info@fyrbodal.example", "website": "https://fyrbodal.example",
                           "legal_form": "natverk"}
    assert plan.notes_appended
    with pytest.raises(OrganisationError):
        services.plan_merge(keep, keep)


def test_merge_moves_memberships_without_duplicates_and_calls_hooks(app, db, two_duplicates):
    keep, drop, both, only_drop, only_keep = two_duplicates
    keep_id, drop_id = keep.id, drop.id
    calls = []

    def hook(k, d):
        # The duplicate still exists when a hook runs, so the hook can move rows pointing at it.
        assert db.session.get(Organisation, d.id) is not None
        calls.append((k.id, d.id))

    app.extensions.setdefault("samrad_org_merge_hooks", []).append(hook)
    try:
        services.merge_organisations(keep, drop)
    finally:
        app.extensions["samrad_org_merge_hooks"].remove(hook)
    assert calls == [(keep_id, drop_id)]
    assert db.session.get(Organisation, drop_id) is None
    rows = db.session.execute(sa.select(Membership.user_id, Membership.organisation_id, Membership.can_sign)
                              .order_by(Membership.user_id)).all()
    assert rows == [(both.id, keep_id, True), (only_drop.id, keep_id, False), (only_keep.id, keep_id, True)]
    kept = db.session.get(Organisation, keep_id)
    assert kept.org_number == "802473-5832"  # moved from the duplicate despite the unique index
    assert kept.sub_region == "fyrbodal" and kept.legal_form == "natverk"
    assert kept.website == "https://fyrbodal.example"
    assert kept.notes.startswith("Plattform i Fyrbodal.")
    assert "[Soc. Ekonomi Fyrbodal, 802473-5832]\nFöreslagen vid anmälan." in kept.notes


def test_merge_keeps_filled_fields_of_the_kept_one(app, db, make_organisation):
    keep = make_organisation("A", org_number="769607-4496", website="https://a.example", notes="")
    drop = make_organisation("B", org_number="802418-4734", website="https://b.example", notes="")
    services.merge_organisations(keep, drop)
    kept = db.session.get(Organisation, keep.id)
    assert kept.org_number == "769607-4496" and kept.website == "https://a.example" and kept.notes == ""


def test_merge_is_one_transaction_when_a_hook_fails(app, db, two_duplicates):
    keep, drop, *_ = two_duplicates
    keep_id, drop_id = keep.id, drop.id

    def broken(k, d):
        raise RuntimeError("hook failed")

    app.extensions.setdefault("samrad_org_merge_hooks", []).append(broken)
    try:
        with pytest.raises(RuntimeError):
            services.merge_organisations(keep, drop)
    finally:
        app.extensions["samrad_org_merge_hooks"].remove(broken)
    db.session.expire_all()
    assert db.session.get(Organisation, drop_id) is not None
    assert db.session.get(Organisation, keep_id).org_number is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)
                             .where(Membership.organisation_id == drop_id)) == 2


def test_possible_duplicates(app, make_organisation):
    org = make_organisation("RSMH Värmland")
    make_organisation("RSMH Sunne")
    make_organisation("Röda korset")
    make_organisation("Föreningen RSMH Värmland")
    assert [o.name for o in services.possible_duplicates(org)] == ["Föreningen RSMH Värmland", "RSMH Sunne"]


def test_export_table(app, db, make_organisation):
    make_organisation("=Farlig", org_number="232100-0131", legal_form="offentlig", needs_review=True)
    header, rows = services.export_table(db.session.scalars(services.search_statement()).all())
    assert header[:2] == ["namn", "organisationsnummer"]
    assert rows[0][:4] == ["=Farlig", "232100-0131", "Offentlig aktör", ""]
    assert rows[0][7] is True
