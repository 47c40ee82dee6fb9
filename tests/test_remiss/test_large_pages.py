"""The drafting group's pages that list hundreds of rows (issue 12's 500 bodies and 300 answers) are built from
plain values rather than ORM objects and per-row form objects; they still show the same HTML."""
from markupsafe import Markup

from core.extensions import db
from surveys.remiss import compilation, managing, review
from surveys.remiss.forms import HandlingForm, QuoteForm, TagForm
from surveys.remiss.models import Remiss, RemissSection
from surveys.remiss.views.common import row_form_html


def test_row_form_html_is_the_forms_own_html_for_each_row(app):
    with app.test_request_context():
        stamped = row_form_html(TagForm, "t", "tag")
        own = TagForm(formdata=None, prefix="t42")
        assert stamped["tag"].replace("__row__", "42") == own.tag()
        assert stamped["csrf_token"].replace("__row__", "42") == own.csrf_token(id=False)
        assert isinstance(stamped["tag"], Markup)


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


def test_body_rows_are_bodies_as_plain_values(remiss, submitted, db):
    managing.invite(remiss, [], ["utan.organisation@example.se"])
    full = compilation.bodies(remiss)
    assert [(b.display_name, b.email, b.invited, b.status, b.extension_until) for b in full] == [
        tuple(row) for row in compilation.body_rows(remiss)]
    assert "utan.organisation@example.se" in [row.display_name for row in compilation.body_rows(remiss)]
