"""The answer form for volunteers: the section list with progress, and attachments in Word and OpenDocument."""
import io
import re
import zipfile

import pytest
from docx import Document
from werkzeug.datastructures import FileStorage

from surveys.remiss import answering, managing, progress, uploads
from surveys.remiss.models import RemissError
from tests.conftest import csrf_token_from


def _docx_bytes(text="Vårt yttrande."):
    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _odt_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


def _zip_bomb():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"0" * (30 * 1024 * 1024))
    return buf.getvalue()


def test_section_progress_counts_saved_and_unsaved_text(remiss, fyrbodal, respondent):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    s1, s2, s3 = remiss.sections
    answering.save_draft(answer, respondent, answer.version, {"sections": {
        str(s1.id): {"position": "tillstyrker", "comment": "", "proposed_wording": ""},
        str(s2.id): {"position": "", "comment": "   ", "proposed_wording": ""}}})
    rows = answering.section_answers_by_section(answer)
    items, done, total = progress.section_progress(remiss, rows)
    assert [i.done for i in items] == [True, False, False] and (done, total) == (1, 3)
    # Text the writer has typed but not saved (a refused save) counts as what the page shows.
    mine = {"sections": {str(s3.id): {"comment": "Min text"}, str(s1.id): {"position": ""}}}
    items, done, _total = progress.section_progress(remiss, rows, mine)
    assert [i.done for i in items] == [False, False, True]


@pytest.mark.parametrize("maker, extension", [(_docx_bytes, "docx"), (_odt_bytes, "odt")])
def test_office_attachments_accepted_by_content(maker, extension, remiss, skrivare, upload_dir):
    data = maker()
    att = managing.add_attachment(remiss, FileStorage(io.BytesIO(data), f"Yttrande.{extension}"), skrivare)
    assert att.filename == f"Yttrande.{extension}" and att.stored_name.endswith("." + extension)
    # The name does not decide: a Word file named .pdf is still stored as Word.
    att = managing.add_attachment(remiss, FileStorage(io.BytesIO(data), "lurig.pdf"), skrivare)
    assert att.stored_name.endswith("." + extension) and att.filename == f"lurig.pdf.{extension}"


def test_office_attachment_refusals(remiss, skrivare):
    with pytest.raises(RemissError, match="gick inte att läsa som ett dokument"):
        managing.add_attachment(remiss, FileStorage(io.BytesIO(_zip_bomb()), "bomb.docx"), skrivare)
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("virus.exe", b"MZ")
    with pytest.raises(RemissError, match="inte en PDF, ett Word-dokument"):
        managing.add_attachment(remiss, FileStorage(io.BytesIO(plain_zip.getvalue()), "x.docx"), skrivare)
    with pytest.raises(RemissError, match="inte en PDF"):
        uploads.read_pdf(FileStorage(io.BytesIO(_docx_bytes()), "x.docx"))


def test_answer_page_has_section_list_and_accepts_docx(client, auth, remiss, fyrbodal, respondent):
    auth.login_as(respondent)
    url = f"/remisser/{remiss.id}/svar/{fyrbodal.id}"
    html = client.get(url).get_data(as_text=True)
    assert "0 av 3 avsnitt besvarade" in html and 'data-pick="' in html
    assert "Visa bara avsnitten jag vill kommentera" in html and "remiss-sections.js" in html
    for s in remiss.sections:
        assert f'href="#section-{s.number}"' in html and f'id="section-{s.number}"' in html
    token = csrf_token_from(html)
    client.post(f"{url}/bilagor", data={"csrf_token": token, "att-file": (io.BytesIO(_docx_bytes()), "Svar.docx")},
                content_type="multipart/form-data")
    html = client.get(url).get_data(as_text=True)
    link = re.search(r'href="(/remisser/\d+/bilagor/\d+)">Svar.docx', html).group(1)
    response = client.get(link)
    response.close()
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    section = remiss.sections[1]
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    client.post(url, data={"csrf_token": token, "version": version, f"s-{section.id}-comment": "Synpunkt",
                           "next": "stay"})
    assert "1 av 3 avsnitt besvarade" in client.get(url).get_data(as_text=True)
