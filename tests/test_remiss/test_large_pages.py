"""The drafting group's pages that list hundreds of rows (issue 12's 500 bodies and 300 answers) are built from
plain values rather than ORM objects and per-row form objects; they still show the same HTML."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import url_for
from flask_babel import force_locale
from markupsafe import Markup

from core.extensions import db
from core.models import Organisation
from core.templating import local_datetime
from surveys.remiss import answering, compilation, managing, review
from surveys.remiss.forms import HandlingForm, QuoteForm, TagForm
from surveys.remiss.models import BodyStatus, InvitedBody, Remiss, RemissSection, SectionAnswer
from surveys.remiss.views.common import datetime_formatter, row_form_html, row_url
from tests.test_remiss.conftest import fill


def test_row_form_html_is_the_forms_own_html_for_each_row(app):
    with app.test_request_context():
        stamped = row_form_html(TagForm, "t", "tag")
        own = TagForm(formdata=None, prefix="t42")
        assert stamped["tag"].replace("__row__", "42") == own.tag()
        assert stamped["csrf_token"].replace("__row__", "42") == own.csrf_token(id=False)
        assert isinstance(stamped["tag"], Markup)


def test_row_url_is_url_for_with_the_rows_id(app):
    with app.test_request_context():
        stamped = row_url("remiss.set_handling", "quote_id", remiss_id=12)
        assert stamped.replace("__row__", "345") == url_for("remiss.set_handling", remiss_id=12, quote_id=345)
        at_the_end = row_url("remiss.answer_detail", "answer_id", remiss_id=12)
        assert at_the_end.replace("__row__", "345") == url_for("remiss.answer_detail", remiss_id=12, answer_id=345)


def test_section_comment_rows_are_plain_values(remiss, submitted, skrivare):
    section = remiss.sections[0]
    [row] = review.section_comments(remiss, section)
    review.add_tag(row, "Mångfald")
    review.add_tag(row, "Dialog")
    review.add_quote(row, "Bra avsnitt.", skrivare)
    row_id, remiss_id, section_id = row.id, remiss.id, section.id
    db.session.expunge_all()
    remiss, section = db.session.get(Remiss, remiss_id), db.session.get(RemissSection, section_id)
    loaded = len(db.session.identity_map)
    [light] = review.section_comment_rows(remiss, section)
    assert len(db.session.identity_map) == loaded, "the per-section view loads no ORM objects per comment"
    assert (light.id, light.organisation, light.final_position, light.final_comment) == (
        row_id, "Social Ekonomi Fyrbodal", "tillstyrker", "Bra avsnitt. 1")
    assert [tag for _id, tag in light.tags] == ["Dialog", "Mångfald"] and light.quotes == ["Bra avsnitt."]


def test_section_view_rows_keep_their_forms(client, auth, skrivare, remiss, submitted):
    [row] = review.section_comments(remiss, remiss.sections[0])
    tag = review.add_tag(row, "Dialog")
    review.add_quote(row, "Ett citat <med> tecken.", skrivare)
    auth.login_as(skrivare)
    html = client.get(f"/remisser/{remiss.id}/oversikt/avsnitt/1").get_data(as_text=True)
    assert f'<input name="t{row.id}-csrf_token" type="hidden"' in html
    assert str(TagForm(formdata=None, prefix=f"t{row.id}").tag()) in html
    assert str(QuoteForm(formdata=None, prefix=f"q{row.id}").text()) in html
    assert f'<label for="t{row.id}-tag">' in html and f'<label for="q{row.id}-text">' in html
    assert f"/kommentarer/{row.id}/teman/{tag.id}/ta-bort" in html and 'aria-label="Ta bort temat Dialog"' in html
    assert "Ett citat &lt;med&gt; tecken." in html and '<span class="badge">Tillstyrker</span>' in html


def test_compilation_page_points_keep_their_forms(client, auth, skrivare, remiss, submitted):
    [row] = review.section_comments(remiss, remiss.sections[0])
    decided = review.add_quote(row, "Mer dialog.", skrivare)
    review.set_handling(decided, "beaktas_delvis", "Delvis <inarbetat> & klart.")
    open_point = review.add_quote(row, "Längre tid.", skrivare)
    auth.login_as(skrivare)
    html = client.get(f"/remisser/{remiss.id}/sammanstallning").get_data(as_text=True)
    for quote in (decided, open_point):
        form = HandlingForm(formdata=None, prefix=f"h{quote.id}", handling=quote.handling or "",
                            reason=quote.handling_reason)
        assert str(form.handling()) in html and str(form.reason()) in html
        assert f'<input name="h{quote.id}-csrf_token" type="hidden"' in html
        assert str(TagForm(formdata=None, prefix=f"qt{quote.id}").tag()) in html
    assert "Delvis &lt;inarbetat&gt; &amp; klart." in html
    assert '<td data-label="Status">Har svarat</td>' in html and '<td data-label="Inbjuden">Ja</td>' in html


def test_body_rows_list_every_body_in_the_pages_order(remiss, submitted, db):
    managing.invite(remiss, [], ["utan.organisation@example.se"])
    shown = compilation.body_page(remiss).items
    assert [(b.display_name, b.email, b.invited, b.status, b.extension_until) for b in shown] == [
        tuple(row) for row in compilation.body_rows(remiss)]
    assert "utan.organisation@example.se" in [row.display_name for row in compilation.body_rows(remiss)]


def _many_bodies(remiss, n):
    """n more invited bodies, written in bulk: Organisation 000 … with every fifth without an address."""
    db.session.execute(sa.insert(Organisation), [
        {"name": f"Organisation {i:03d}", "legal_form": "forening", "notes": "", "needs_review": False,
         "contact_email": None if i % 5 == 0 else f"kontakt{i}@example.se"} for i in range(n)])
    org_ids = db.session.scalars(sa.select(Organisation.id).where(Organisation.name.like("Organisation %"))
                                 .order_by(Organisation.name)).all()
    db.session.execute(sa.insert(InvitedBody), [
        {"remiss_id": remiss.id, "organisation_id": oid, "status": BodyStatus.ANSWERED if i < 10 else BodyStatus.INVITED,
         "invited": True, "email": None} for i, oid in enumerate(org_ids)])
    db.session.commit()
    return org_ids


def test_body_page_narrows_and_pages(remiss):
    _many_bodies(remiss, 150)  # and the remiss's own two: Social Ekonomi Fyrbodal and Sjuhärad
    first = compilation.body_page(remiss)
    assert (first.total, first.pages, len(first.items)) == (152, 2, 100)
    assert first.items[0].display_name == "Organisation 000"
    last = compilation.body_page(remiss, page=9)
    assert (last.page, len(last.items), last.items[-1].display_name) == (2, 52, "Social Ekonomi Sjuhärad")
    assert compilation.body_page(remiss, search="ORGANISATION 14").total == 10
    assert compilation.body_page(remiss, search="sjuhärad").total == 1
    assert compilation.body_page(remiss, show=BodyStatus.ANSWERED).total == 10
    assert compilation.body_page(remiss, show=compilation.NOT_ANSWERED).total == 142
    without = compilation.body_page(remiss, show=compilation.WITHOUT_ADDRESS).items
    assert len(without) == 32 and all(managing.mail_address(b) is None for b in without)  # 30 and the two own
    assert compilation.body_page(remiss, search="100%_").total == 0


def test_bodies_page_shows_a_hundred_and_keeps_its_page_through_a_post(client, auth, skrivare, remiss, forms):
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}/instanser"
    small = client.get(page).get_data(as_text=True)
    assert "Sök på namn eller e-postadress" not in small, "a list on one page looks as before"
    org_ids = _many_bodies(remiss, 150)
    html = client.get(page).get_data(as_text=True)
    assert html.count('<tr id="body-') == 100 and "152 remissinstanser · sida 1 av 2" in html
    assert f"{page}?sida=2" in html and "Sök på namn eller e-postadress" in html
    second = f"{page}?visa=invited&sida=2"
    html = client.get(second).get_data(as_text=True)
    assert html.count('<tr id="body-') == 42 and "142 remissinstanser · sida 2 av 2" in html
    body = db.session.scalar(sa.select(InvitedBody).where(InvitedBody.organisation_id == org_ids[-1]))
    action = f"/remisser/{remiss.id}/instanser/{body.id}/forlangning?visa=invited&amp;sida=2"
    assert f'action="{action}"' in html
    response = forms.post(action.replace("&amp;", "&"), {"until": "2031-01-01T10:00"}, page=second)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{page}?visa=invited&sida=2#body-{body.id}")
    filtered = client.get(f"{page}?sok=zzz").get_data(as_text=True)
    assert "Inga remissinstanser matchar." in filtered and "Visa alla" in filtered


@pytest.mark.parametrize("language", ["sv", "en"])
def test_datetime_formatter_writes_what_the_datetime_filter_does(app, language):
    times = [datetime(2026, 3, 29, 0, 59), datetime(2026, 3, 29, 1, 0), datetime(2026, 10, 25, 0, 30),
             datetime(2026, 12, 31, 23, 5, 59), datetime(2026, 6, 1, 12, tzinfo=UTC),
             # The same day and the same minute again (formatted once each), and the same minute on other days.
             datetime(2026, 3, 29, 1, 0, 30), datetime(2026, 3, 29, 9, 15), datetime(2026, 4, 2, 9, 15),
             datetime(2026, 12, 31, 21, 5)]
    with app.test_request_context(), force_locale(language):
        short = datetime_formatter()
        assert [short(t) for t in times] == [local_datetime(t) for t in times]
        assert short(None) == local_datetime(None) == ""


def test_exports_read_the_long_texts_as_utf8_bytes(remiss, fyrbodal, respondent):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    fill(answer, respondent, section_text="Bra – åäö & <mer>")
    answering.submit(answer, respondent)
    [_answers, (_title, _header, per_section), *_rest] = compilation.export_sheets(remiss)
    assert [row[4] for row in per_section] == [f"Bra – åäö & <mer> {n}".encode() for n in (1, 2, 3)]
    _header, rows = compilation.csv_rows(remiss)
    assert rows[1][4] == "Bra – åäö & <mer> 1".encode() and rows[0][4] == "Vi stöder förslaget."


def test_utf8_rows_read_marked_texts_as_bytes_on_the_drivers_cursor(remiss, fyrbodal, respondent, db):
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    fill(answer, respondent, section_text="Bra – åäö & <mer>")
    answering.submit(answer, respondent)
    stmt = (sa.select(SectionAnswer.id, SectionAnswer.final_position, compilation.utf8_bytes(SectionAnswer.final_comment))
            .where(SectionAnswer.answer_id == answer.id).order_by(SectionAnswer.id))
    rows = compilation.utf8_rows(stmt)
    assert [type(value) for value in rows[0]] == [int, str, bytes]
    assert [comment for _id, _position, comment in rows] == [f"Bra – åäö & <mer> {n}".encode() for n in (1, 2, 3)]
    if db.engine.dialect.name == "postgresql":  # there every text column would come as bytes: it must be marked
        with pytest.raises(TypeError):
            compilation.utf8_rows(sa.select(SectionAnswer.final_comment).where(SectionAnswer.answer_id == answer.id))
