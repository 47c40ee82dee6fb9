"""Factories for agreements: a draft or published agreement with the region and two organisations."""
from datetime import date

import pytest

from core.agreements.models import Agreement, AgreementKind, AgreementStatus


@pytest.fixture
def region(make_organisation):
    return make_organisation("Västra Götalandsregionen", org_number="232100-0131", legal_form="offentlig")


@pytest.fixture
def make_agreement(db):
    def make(title="Överenskommelse om samverkan", published=True, **fields):
        fields.setdefault("period_start", date(2014, 12, 5))
        fields.setdefault("kind", AgreementKind.OVERENSKOMMELSE)
        agreement = Agreement(title=title, status=AgreementStatus.PUBLISHED if published else AgreementStatus.DRAFT,
                              **fields)
        db.session.add(agreement)
        db.session.commit()
        return agreement

    return make


@pytest.fixture
def agreement(make_agreement):
    return make_agreement(representatives_among_signatories=True)
