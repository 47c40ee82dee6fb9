"""Signing and withdrawing, and the public register with its filters and export."""
from datetime import date, timedelta

import pytest

from core.agreements import signing
from core.agreements.managing import AgreementErrors
from core.agreements.models import AgreementError


@pytest.fixture
def orgs(make_organisation):
    return {
        "skaraborg": make_organisation("Skaraborgs Föreningsråd", legal_form="forening", sub_region="skaraborg"),
        "fyrbodal": make_organisation("Social Ekonomi Fyrbodal", org_number="802473-5832", legal_form="natverk",
                                      sub_region="fyrbodal"),
        "stiftelse": make_organisation("Stiftelsen Hospice Gabriel", legal_form="stiftelse", sub_region="fyrbodal"),
    }


def test_sign_then_withdraw(agreement, orgs):
    row = signing.sign(agreement, orgs["fyrbodal"], date(2014, 12, 5), "Marie Petterson", "Ordförande")
    assert signing.is_signatory(agreement, orgs["fyrbodal"].id, date(2015, 1, 1))
    assert not signing.is_signatory(agreement, orgs["fyrbodal"].id, date(2014, 12, 4))
    signing.withdraw(row, date(2019, 6, 30))
    assert not signing.is_signatory(agreement, orgs["fyrbodal"].id, date(2020, 1, 1))
    assert signing.is_signatory(agreement, orgs["fyrbodal"].id, date(2019, 6, 29))
    assert signing.counts(agreement) == {"active": 0, "withdrawn": 1}
    with pytest.raises(AgreementError):
        signing.withdraw(row, date(2020, 1, 1))


def test_signing_twice_is_refused_but_signing_again_after_leaving_is_not(agreement, orgs):
    row = signing.sign(agreement, orgs["skaraborg"], date(2015, 3, 1), "Ordförande")
    with pytest.raises(AgreementError):
        signing.sign(agreement, orgs["skaraborg"], date(2015, 4, 1), "Ordförande")
    signing.withdraw(row, date(2016, 1, 1))
    again = signing.sign(agreement, orgs["skaraborg"], date(2018, 1, 1), "Ny ordförande")
    assert again.id == row.id and again.withdrawn_on is None and again.signed_on == date(2018, 1, 1)


def test_sign_checks_every_field(agreement):
    with pytest.raises(AgreementErrors) as caught:
        signing.sign(agreement, None, date.today() + timedelta(days=2), "  ")
    assert set(caught.value.errors) == {"organisation_id", "signed_on", "signatory_name"}


def test_withdrawal_cannot_come_before_signing(agreement, orgs):
    row = signing.sign(agreement, orgs["skaraborg"], date(2015, 3, 1), "Ordförande")
    with pytest.raises(AgreementError) as caught:
        signing.withdraw(row, date(2015, 2, 1))
    assert caught.value.field == "withdrawn_on"


def test_register_filters_by_legal_form_and_sub_region(agreement, orgs):
    for org in orgs.values():
        signing.sign(agreement, org, date(2014, 12, 5), "Ordförande")
    left = signing.signatory_for(agreement, orgs["stiftelse"].id)
    signing.withdraw(left, date(2020, 1, 1))
    names = lambda rows: [r.organisation.name for r in rows]  # noqa: E731
    assert names(signing.register(agreement)) == ["Skaraborgs Föreningsråd", "Social Ekonomi Fyrbodal"]
    assert names(signing.register(agreement, sub_region="fyrbodal")) == ["Social Ekonomi Fyrbodal"]
    assert names(signing.register(agreement, sub_region="fyrbodal", include_withdrawn=True)) == [
        "Social Ekonomi Fyrbodal", "Stiftelsen Hospice Gabriel"]
    assert names(signing.register(agreement, legal_form="forening")) == ["Skaraborgs Föreningsråd"]
    header, rows = signing.export_table(signing.register(agreement, legal_form="natverk"))
    assert header[1] == "Organisationsnummer"
    assert rows == [["Social Ekonomi Fyrbodal", "802473-5832", "Nätverk/plattform", "Fyrbodal", date(2014, 12, 5),
                     "Ordförande", "", None]]
