"""Agreements, parties and contributions: the rules in the services and on the model."""
from datetime import date

import pytest

from core.agreements import managing, reporting
from core.agreements.managing import AgreementErrors
from core.agreements.models import AgreementError, AgreementKind, Side


def test_create_checks_every_field_at_once(app):
    with pytest.raises(AgreementErrors) as caught:
        managing.create_agreement({"kind": "avtal", "title": " ", "period_start": date(2025, 1, 1),
                                   "period_end": date(2024, 1, 1), "notice_months": -1})
    assert set(caught.value.errors) == {"kind", "title", "period_end", "notice_months"}


def test_new_agreement_is_a_draft_until_published(app):
    agreement = managing.create_agreement({"kind": AgreementKind.IOP, "title": "IOP 2024",
                                           "period_start": date(2024, 8, 1), "period_end": date(2025, 12, 31),
                                           "notice_months": 6})
    assert not agreement.is_published
    assert managing.published_agreements() == []
    managing.publish(agreement)
    assert managing.published_agreements() == [agreement]
    with pytest.raises(AgreementError):
        agreement.publish()


def test_publish_needs_a_start_date(make_agreement):
    agreement = make_agreement(published=False, period_start=None)
    with pytest.raises(AgreementError):
        agreement.publish()
    assert not agreement.is_published


@pytest.mark.parametrize("what, name", [("agreement", "Överenskommelsen"), ("report", "Årsberättelsen")])
def test_publish_and_unpublish_refuse_what_the_state_does_not_allow(make_agreement, what, name):
    agreement = make_agreement(published=False)
    row = agreement if what == "agreement" else reporting.get_or_create_report(agreement, 2015)
    assert not row.is_published and row.status_label == "Utkast" and row.published_at is None
    with pytest.raises(AgreementError, match=f"^{name} är inte publicerad.$"):
        row.unpublish()
    row.publish()
    assert row.is_published and row.status_label == "Publicerad" and row.published_at is not None
    with pytest.raises(AgreementError, match=f"^{name} är redan publicerad.$"):
        row.publish()
    row.unpublish()
    assert not row.is_published and row.published_at is None


def test_an_organisation_is_a_party_once(agreement, region):
    party = managing.add_party(agreement, region, Side.REGION, contact_name="Anne Svensson",
                               acting_through="kulturnämnden")
    assert party.organisation.org_number == "232100-0131"
    assert managing.region_party(agreement) is party
    with pytest.raises(AgreementError) as caught:
        managing.add_party(agreement, region, Side.REGION)
    assert caught.value.field == "organisation_id"


def test_contribution_needs_money_with_a_rhythm_or_a_described_effort(agreement, region, make_organisation):
    vgr = managing.add_party(agreement, region, Side.REGION)
    with pytest.raises(AgreementErrors) as caught:
        managing.add_contribution(agreement, vgr, date(2024, 8, 1), date(2024, 7, 1), amount_sek=300_000)
    assert set(caught.value.errors) == {"period_end", "payment_rhythm"}
    with pytest.raises(AgreementErrors) as caught:
        managing.add_contribution(agreement, vgr, date(2024, 8, 1), date(2025, 7, 31))
    assert set(caught.value.errors) == {"description"}
    row = managing.add_contribution(agreement, vgr, date(2024, 8, 1), date(2025, 7, 31), amount_sek=300_000,
                                    payment_rhythm="månadsvis i tolfte delar")
    assert agreement.contributions == [row]
    other = make_organisation("Social Ekonomi Sjuhärad", org_number="802469-9889")
    stranger = managing.add_party(managing.create_agreement({"title": "Annan", "period_start": date(2020, 1, 1)}),
                                  other)
    with pytest.raises(AgreementErrors) as caught:
        managing.add_contribution(agreement, stranger, date(2024, 8, 1), date(2025, 7, 31), description="Lokaler")
    assert "party_id" in caught.value.errors
