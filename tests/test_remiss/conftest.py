"""Fixtures for the remiss tests: an open remiss with sections, its drafting group and invited bodies."""
from datetime import timedelta

import pytest

from core.models import Role, utcnow
from surveys.remiss import answering, managing, themes

SECTIONS = [("Dialog", "Om dialog."), ("Långsiktighet", "Om långsiktighet."), ("Mångfald", "Om mångfald.")]


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REMISS_UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture(autouse=True)
def principles(app):
    """The six principles are rows seeded when the table is created; the suite empties tables between tests."""
    themes.ensure_principles()


@pytest.fixture
def fyrbodal(respondent):
    return respondent.organisations[0]


@pytest.fixture
def other_org(make_organisation):
    return make_organisation("Social Ekonomi Sjuhärad", legal_form="natverk", sub_region="sjuharad")


@pytest.fixture
def other_respondent(make_user, other_org):
    return make_user("annan@test.example", roles=[Role.RESPONDENT], organisations=[other_org], name="Otto Annan")


@pytest.fixture
def stranger(make_user):
    return make_user("framling@test.example", roles=[], name="Frida Främling")


@pytest.fixture
def other_drafter(make_user):
    """In the drafting group role, but not in this remiss's drafting group."""
    return make_user("annan.skrivare@test.example", roles=[Role.SKRIVARGRUPP], name="Annan Skrivare")


@pytest.fixture
def make_remiss(skrivare):
    def make(status="open", sections=SECTIONS, invite=(), **fields):
        now = utcnow().replace(microsecond=0)
        values = {"title": "Förslag till överenskommelse", "diarienummer": "RS 767-2011", "description": "Beskrivning",
                  "opens_at": now - timedelta(days=1), "deadline": now + timedelta(days=30)}
        values.update(fields)
        remiss = managing.create_remiss(skrivare, **values)
        for heading, text in sections:
            managing.add_section(remiss, heading, text)
        managing.invite(remiss, list(invite))
        if status in ("open", "closed", "compiled"):
            managing.change_status(remiss, "open")
        if status in ("closed", "compiled"):
            managing.change_status(remiss, "close")
        if status == "compiled":
            managing.change_status(remiss, "compile")
        return remiss

    return make


@pytest.fixture
def remiss(make_remiss, fyrbodal, other_org):
    return make_remiss(invite=[fyrbodal, other_org])


def fill(answer, user, position="tillstyrker", comment="Vi stöder förslaget.", section_text="Bra avsnitt."):
    data = {"position": position, "general_comment": comment, "decided_by": "Styrelsen 2025-03-12",
            "signatory": "Svea Svarande",
            "sections": {str(s.id): {"position": "tillstyrker", "comment": f"{section_text} {s.number}",
                                     "proposed_wording": ""} for s in answer.remiss.sections}}
    return answering.save_draft(answer, user, answer.version, data)


@pytest.fixture
def submitted(remiss, fyrbodal, respondent):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    fill(answer, respondent)
    answering.submit(answer, respondent)
    return answer


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
