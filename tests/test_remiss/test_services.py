"""The service functions: creating, importing, inviting, answering, submitting, reminders, review."""
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from docx import Document
from werkzeug.datastructures import FileStorage

from core.models import utcnow
from surveys.remiss import answering, importing, managing, review
from surveys.remiss.models import (
    AnswerSubmission,
    BodyStatus,
    InvitedBody,
    RemissAnswer,
    RemissError,
    RemissSection,
    RemissStatus,
)
from tests.test_core.test_uploads import bomb
from tests.test_remiss.conftest import PDF, fill


def test_create_refuses_deadline_before_opening(skrivare, db):
    now = utcnow()
    with pytest.raises(RemissError, match="Svarsdatum måste vara efter"):
        managing.create_remiss(skrivare, title="X", opens_at=now, deadline=now - timedelta(days=1))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RemissSection)) == 0


def test_creator_is_in_drafting_group(make_remiss, skrivare):
    remiss = make_remiss(status="draft")
    assert remiss.is_drafter(skrivare)


def test_empty_section_title_is_refused(make_remiss):
    remiss = make_remiss(status="draft", sections=[])
    with pytest.raises(RemissError, match="rubrik"):
        managing.add_section(remiss, "   ", "text")
    assert remiss.sections == []


def test_parse_markdown_and_numbered_text():
    md = "Förord här.\n\n# Dialog\nText om dialog.\n\n## Kvalitet\nMer text.\n"
    assert importing.parse_text(md) == [("Inledning", "Förord här."), ("Dialog", "Text om dialog."),
                                        ("Kvalitet", "Mer text.")]
    plain = "1. Dialog\nVi vill ha dialog.\n2. Långsiktighet\nLänge.\n"
    assert [h for h, _t in importing.parse_text(plain)] == ["Dialog", "Långsiktighet"]


def test_import_without_headings_or_with_empty_heading_saves_nothing(make_remiss):
    remiss = make_remiss(status="draft")
    before = [(s.number, s.heading) for s in remiss.sections]
    with pytest.raises(RemissError, match="inga rubriker"):
        managing.import_sections(remiss, "utkast.txt", "Bara löptext utan rubriker.".encode())
    with pytest.raises(RemissError, match="tom"):
        managing.import_sections(remiss, "utkast.md", "# Första\ntext\n#\nmer\n".encode())
    assert [(s.number, s.heading) for s in remiss.sections] == before


def test_import_docx(make_remiss):
    doc = Document()
    doc.add_paragraph("Förslag till överenskommelse", style="Title")
    doc.add_heading("Dialog", level=1)
    doc.add_paragraph("Genom dialog.")
    doc.add_heading("Mångfald", level=1)
    doc.add_paragraph("Ökad mångfald.")
    buf = io.BytesIO()
    doc.save(buf)
    remiss = make_remiss(status="draft")
    assert managing.import_sections(remiss, "underlag.docx", buf.getvalue()) == 3
    assert [(s.number, s.heading, s.text) for s in remiss.sections][1:] == [
        (2, "Dialog", "Genom dialog."), (3, "Mångfald", "Ökad mångfald.")]


def test_import_docx_without_headings(make_remiss):
    doc = Document()
    doc.add_paragraph("Bara text.")
    buf = io.BytesIO()
    doc.save(buf)
    remiss = make_remiss(status="draft")
    with pytest.raises(RemissError, match="Rubrik 1"):
        managing.import_sections(remiss, "x.docx", buf.getvalue())
    assert len(remiss.sections) == 3


def test_import_refuses_a_zip_bomb_posing_as_docx(make_remiss):
    doc = Document()
    doc.add_heading("Inledning", level=1)
    doc.add_paragraph("Text.")
    buf = io.BytesIO()
    doc.save(buf)
    remiss = make_remiss(status="draft")
    with pytest.raises(RemissError, match="Word-filen gick inte att läsa"):
        managing.import_sections(remiss, "underlag.docx", bomb(buf.getvalue()))
    assert len(remiss.sections) == 3


def test_invite_sends_personal_link_with_hashed_token(make_remiss, make_organisation, outbox, db):
    org = make_organisation("Förening A", contact_email="a@forening.example")
    remiss = make_remiss(invite=[org])
    assert len(outbox) == 1
    body = remiss.bodies[0]
    text = outbox[0].get_content()
    link = next(line for line in text.splitlines() if "/remisser/inbjudan/" in line).strip()
    raw = link.rsplit("/", 1)[1]
    assert body.token_hash != raw and len(body.token_hash) == 64
    assert managing.body_by_token(raw).id == body.id
    result = managing.invite(remiss, [org], ["ny@exempel.se", "NY@exempel.se"])
    assert [b.email for b in result.added] == ["ny@exempel.se"] and result.mailed == result.added
    with pytest.raises(RemissError, match="giltig"):
        managing.invite(remiss, [], ["inte-en-adress"])


def test_draft_save_version_conflict_overwrites_nothing(remiss, fyrbodal, respondent, make_user):
    colleague = make_user("kollega@test.example", organisations=[fyrbodal])
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    v = answer.version
    answering.save_draft(answer, respondent, v, {"general_comment": "Första texten"})
    with pytest.raises(answering.VersionConflict) as exc:
        answering.save_draft(answer, colleague, v, {"general_comment": "Kollegans text"})
    assert exc.value.answer.general_comment == "Första texten"
    assert answering.draft_data(exc.value.answer)["version"] == v + 1


def test_draft_saving_marks_body_and_rejects_unknown_section(remiss, fyrbodal, respondent):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    body = answering.body_for(remiss, fyrbodal.id)
    assert body.status == BodyStatus.OPENED
    fill(answer, respondent)
    assert body.status == BodyStatus.DRAFT_SAVED
    with pytest.raises(RemissError):
        answering.save_draft(answer, respondent, answer.version, {"sections": {"999999": {"comment": "x"}}})
    with pytest.raises(RemissError):
        answering.save_draft(answer, respondent, answer.version, {"position": "kanske"})


def test_text_is_stored_as_typed(remiss, fyrbodal, respondent):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    text = "<script>alert(1)</script>\n  indrag & ”citat”"
    answering.save_draft(answer, respondent, answer.version, {"general_comment": text})
    assert answer.general_comment == text


def test_submit_keeps_every_version_and_sends_receipt(remiss, fyrbodal, respondent, outbox, db):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    fill(answer, respondent)
    answering.submit(answer, respondent)
    fill(answer, respondent, position="avstyrker", comment="Vi har ändrat oss.")
    # the revision is a draft until submitted again: readers still see the first version
    assert answer.final_position == "tillstyrker" and answer.has_unsubmitted_changes
    answering.submit(answer, respondent)
    subs = db.session.scalars(sa.select(AnswerSubmission).where(AnswerSubmission.answer_id == answer.id)
                              .order_by(AnswerSubmission.number)).all()
    assert [s.snapshot["position"] for s in subs] == ["tillstyrker", "avstyrker"]
    assert answer.final_general_comment == "Vi har ändrat oss."
    assert answering.body_for(remiss, fyrbodal.id).status == BodyStatus.ANSWERED
    receipts = [m for m in outbox if m["To"] == respondent.email]
    assert len(receipts) == 2 and "Kvitto" in receipts[0]["Subject"]


def test_submit_needs_right_to_sign_ready_mark_and_position(remiss, fyrbodal, respondent, make_user):
    writer = make_user("skribent@test.example", organisations=[fyrbodal], can_sign=False)
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    answering.save_draft(answer, writer, answer.version, {"general_comment": "Utan ställning"})
    with pytest.raises(RemissError, match="ställningstagande"):
        answering.submit(answer, respondent)
    answering.save_draft(answer, writer, answer.version, {"position": "tillstyrker", "require_ready": True})
    with pytest.raises(RemissError, match="rätt att skriva under"):
        answering.submit(answer, writer)
    with pytest.raises(RemissError, match="klart"):
        answering.submit(answer, respondent)
    answering.mark_ready(answer, writer)
    answering.submit(answer, respondent)
    assert answer.is_submitted


def test_editing_after_ready_needs_new_ready_mark(remiss, fyrbodal, respondent):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    answering.save_draft(answer, respondent, answer.version, {"position": "tillstyrker", "require_ready": True})
    answering.mark_ready(answer, respondent)
    answering.save_draft(answer, respondent, answer.version, {"general_comment": "Ändrat"})
    assert not answer.ready


def test_deadline_closes_answering_unless_extended(remiss, fyrbodal, respondent, db):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    remiss.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(RemissError, match="svarsdatum har passerat"):
        fill(answer, respondent)
    body = answering.body_for(remiss, fyrbodal.id)
    with pytest.raises(RemissError):
        managing.grant_extension(body, remiss.deadline - timedelta(days=1))
    managing.grant_extension(body, utcnow() + timedelta(days=3))
    fill(answer, respondent)
    answering.submit(answer, respondent)


def test_uninvited_answer_is_marked(make_remiss, fyrbodal, respondent):
    remiss = make_remiss(allow_uninvited=True)
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    fill(answer, respondent)
    answering.submit(answer, respondent)
    body = answering.body_for(remiss, fyrbodal.id)
    assert body.invited is False and body.status == BodyStatus.ANSWERED
    assert review.body_counts(remiss)["answered_uninvited"] == 1


def test_reminders_only_to_those_who_have_not_answered(make_remiss, make_organisation, fyrbodal, respondent, outbox):
    quiet = make_organisation("Tyst förening", contact_email="tyst@example.se")
    fyrbodal.contact_email = "fyrbodal@example.se"
    remiss = make_remiss(invite=[fyrbodal, quiet])
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    fill(answer, respondent)
    answering.submit(answer, respondent)
    outbox.clear()
    assert managing.send_reminders(remiss) == 1
    assert outbox[0]["To"] == "tyst@example.se" and "Påminnelse" in outbox[0]["Subject"]


def test_automatic_reminders_are_idempotent_per_day(make_remiss, make_organisation, outbox, db):
    org = make_organisation("Förening B", contact_email="b@example.se")
    now = utcnow()
    remiss = make_remiss(invite=[org], reminder_days_before=3, deadline=now + timedelta(days=2))
    far = make_remiss(invite=[org], reminder_days_before=3, deadline=now + timedelta(days=20),
                      diarienummer="RS 2")
    outbox.clear()
    done = managing.send_due_reminders(now)
    assert [(r.id, n) for r, n in done] == [(remiss.id, 1)]
    assert managing.send_due_reminders(now + timedelta(minutes=5)) == []
    assert len(outbox) == 1
    assert far.last_auto_reminder_on is None


def test_reminder_cli(runner, make_remiss, make_organisation, outbox):
    org = make_organisation("Förening C", contact_email="c@example.se")
    make_remiss(invite=[org], reminder_days_before=40)
    outbox.clear()
    result = runner.invoke(args=["remiss-reminders"])
    assert result.exit_code == 0, result.output
    assert "1 påminnelser" in result.output
    result = runner.invoke(args=["remiss-reminders"])
    assert "Inga påminnelser" in result.output


def test_decline(remiss, fyrbodal, respondent):
    answering.decline(remiss, fyrbodal.id, respondent)
    assert answering.body_for(remiss, fyrbodal.id).status == BodyStatus.DECLINED
    assert review.body_counts(remiss)["declined"] == 1


def _pdf_upload(data, name="svar.pdf"):
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


def test_upload_checks_content_and_size(remiss, skrivare, app, monkeypatch, upload_dir):
    with pytest.raises(RemissError, match="inte en PDF"):
        managing.add_attachment(remiss, _pdf_upload(b"MZ\x90\x00 not a pdf", "fake.pdf"), skrivare)
    monkeypatch.setitem(app.config, "REMISS_MAX_UPLOAD_BYTES", 100)
    with pytest.raises(RemissError, match="för stor"):
        managing.add_attachment(remiss, _pdf_upload(PDF + b"0" * 200), skrivare)
    monkeypatch.setitem(app.config, "REMISS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    att = managing.add_attachment(remiss, _pdf_upload(PDF, "../../etc/underlag"), skrivare)
    assert att.filename == "underlag.pdf"
    assert (upload_dir / att.stored_name).read_bytes() == PDF


def test_tags_quotes_and_handling(remiss, submitted, skrivare):
    section = remiss.sections[0]
    [row] = review.section_comments(remiss, section)
    review.add_tag(row, "Mångfald")
    assert review.add_tag(row, "mångfald") is None
    review.add_tag(row, "Uppföljning")
    assert review.remiss_tags(remiss) == ["Mångfald", "Uppföljning"]
    quote = review.add_quote(row, "Bra avsnitt.", skrivare)
    with pytest.raises(RemissError, match="motivering"):
        review.set_handling(quote, "beaktas_inte", "")
    review.set_handling(quote, "beaktas_delvis", "Delvis inarbetat i avsnitt 1.")
    assert quote.handling_label == "Beaktas delvis"


def test_search_is_case_insensitive(remiss, submitted):
    hits = review.search(remiss, "BRA AVSNITT")
    assert len(hits) == 3 and hits[0]["excerpt"][1].lower() == "bra avsnitt"
    assert review.search(remiss, "stöder")[0]["section"] is None
    assert review.search(remiss, "%") == []


def test_merge_organisations_moves_answers(remiss, fyrbodal, other_org, submitted, db):
    managing.merge_organisations(other_org, fyrbodal)
    db.session.commit()
    answers = db.session.scalars(sa.select(RemissAnswer)).all()
    assert [a.organisation_id for a in answers] == [other_org.id]
    bodies = db.session.scalars(sa.select(InvitedBody).where(InvitedBody.remiss_id == remiss.id)).all()
    assert len(bodies) == 1 and bodies[0].status == BodyStatus.ANSWERED


def test_status_change_service(make_remiss):
    remiss = make_remiss(status="draft")
    with pytest.raises(RemissError):
        managing.change_status(remiss, "compile")
    managing.change_status(remiss, "open")
    assert remiss.status == RemissStatus.OPEN
