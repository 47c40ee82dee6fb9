"""Revised versions of the draft: made after the answers, edited per section, tied to the handling decisions."""
import io

import pytest
from docx import Document
from werkzeug.datastructures import FileStorage

from surveys.remiss import drafts, managing, review
from surveys.remiss.models import HandlingTarget, RemissError
from tests.conftest import csrf_token_from
from tests.test_remiss.conftest import PDF


def _docx(*sections):
    doc = Document()
    for heading, text in sections:
        doc.add_heading(heading, level=1)
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_version_only_after_the_answers(remiss, skrivare):
    with pytest.raises(RemissError, match="när remissen är stängd"):
        drafts.start_version(remiss, skrivare)


def test_version_copies_text_then_edits_one_section(remiss, skrivare):
    managing.change_status(remiss, "close")
    v2 = drafts.start_version(remiss, skrivare, note="Efter remissen")
    assert v2.number == 2 and [s.heading for s in v2.sections] == [s.heading for s in remiss.sections]
    assert all(vs.section_id == s.id for vs, s in zip(v2.sections, remiss.sections, strict=True))
    with pytest.raises(RemissError, match="rubrik"):
        drafts.update_section(v2.sections[0], "  ", "x")
    drafts.update_section(v2.sections[0], "Dialog", "Om dialog, i tidiga skeden.")
    rows = drafts.compare(remiss, v2)
    assert [r.changed for r in rows] == [True, False, False]
    # The next version starts from the newest text, not the remitted one.
    v3 = drafts.start_version(remiss, skrivare)
    assert v3.number == 3 and v3.sections[0].text == "Om dialog, i tidiga skeden."


def test_uploaded_docx_becomes_sections_matched_by_heading(remiss, skrivare, upload_dir):
    managing.change_status(remiss, "close")
    data = _docx(("Dialog", "Ny text om dialog."), ("Mångfald", "Om mångfald."), ("Uppföljning", "Helt nytt."))
    version = drafts.start_version(remiss, skrivare, upload=FileStorage(io.BytesIO(data), "Version 2.docx"))
    assert version.filename == "Version 2.docx" and (upload_dir / version.stored_name).exists()
    by_heading = {s.heading: s.section_id for s in version.sections}
    assert by_heading["Dialog"] == remiss.sections[0].id
    assert by_heading["Mångfald"] == remiss.sections[2].id
    assert by_heading["Uppföljning"] is None
    rows = drafts.compare(remiss, version)
    kinds = [(r.old.heading if r.old else None, r.new.heading if r.new else None) for r in rows]
    assert ("Långsiktighet", None) in kinds and (None, "Uppföljning") in kinds


def test_uploaded_pdf_is_kept_and_text_copied(remiss, skrivare):
    managing.change_status(remiss, "close")
    version = drafts.start_version(remiss, skrivare, upload=FileStorage(io.BytesIO(PDF), "v2.pdf"))
    assert version.filename == "v2.pdf" and len(version.sections) == 3
    with pytest.raises(RemissError, match="inte en PDF"):
        drafts.start_version(remiss, skrivare, upload=FileStorage(io.BytesIO(b"hej"), "v3.docx"))


def test_handling_points_to_new_section(remiss, submitted, skrivare, make_remiss, db):
    [section_answer] = review.section_comments(remiss, remiss.sections[0])
    quote = review.add_quote(section_answer, "Mer dialog, tack.", skrivare)
    managing.change_status(remiss, "close")
    version = drafts.start_version(remiss, skrivare)
    target = version.sections[0]
    drafts.update_section(target, "Dialog", "Dialog i tidiga skeden.")
    review.set_handling(quote, "beaktas", "")
    drafts.set_target(quote, target)
    [first, *_rest] = drafts.compare(remiss, version)
    assert [(q.id, here) for q, _org, here in first.quotes] == [(quote.id, True)]
    assert drafts.targets_by_quote(version) == {quote.id: target.id}
    # Another remiss's section is refused; None removes the link.
    other = make_remiss(status="closed", title="Annan")
    other_version = drafts.start_version(other, skrivare)
    with pytest.raises(RemissError, match="hör inte till"):
        drafts.set_target(quote, other_version.sections[0])
    drafts.set_target(quote, None)
    assert db.session.query(HandlingTarget).count() == 0


def test_side_by_side_page_and_link_over_http(client, auth, remiss, submitted, skrivare, respondent, forms):
    [section_answer] = review.section_comments(remiss, remiss.sections[0])
    quote = review.add_quote(section_answer, "Mer dialog, tack.", skrivare)
    auth.login_as(skrivare)
    url = f"/remisser/{remiss.id}/versioner"
    assert "när remissen är stängd" in client.get(url).get_data(as_text=True)
    managing.change_status(remiss, "close")
    response = forms.post(url, {"v-note": "Efter remissen"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/versioner/2")
    page = client.get(f"{url}/2").get_data(as_text=True)
    assert "Mer dialog, tack." in page and "Social Ekonomi Fyrbodal" in page and "Oförändrat" in page
    version = drafts.versions(remiss)[0]
    target = version.sections[0]
    edit_url = f"{url}/2/avsnitt/{target.id}"
    response = forms.post(edit_url, {"heading": "Dialog", "text": "Dialog i **tidiga** skeden."})
    assert response.status_code == 302
    # Partly taken into account without a reason: refused with the reason asked for, nothing saved.
    post_url = f"{url}/2/citat/{quote.id}"
    token = csrf_token_from(client.get(f"{url}/2").get_data(as_text=True))
    client.post(post_url, data={"csrf_token": token, f"t{quote.id}-handling": "beaktas_delvis",
                                f"t{quote.id}-reason": "", f"t{quote.id}-target": str(target.id)})
    page = client.get(f"{url}/2").get_data(as_text=True)
    assert "Skriv en motivering" in page and "Ledde till ändring här" not in page
    client.post(post_url, data={"csrf_token": token, f"t{quote.id}-handling": "beaktas_delvis",
                                f"t{quote.id}-reason": "Delvis, av kostnadsskäl.", f"t{quote.id}-target": str(target.id)})
    page = client.get(f"{url}/2").get_data(as_text=True)
    assert "Ledde till ändring här" in page and "Ändrat" in page and "<strong>tidiga</strong>" in page
    assert "Delvis, av kostnadsskäl." in page
    # Respondents never see the drafting group's versions.
    auth.logout()
    auth.login_as(respondent)
    assert client.get(f"{url}/2").status_code == 403
