"""Reviewing the answers: the drafting group's dashboard, per-section view, search, single answers, themes and
key quotes."""
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.models import LEGAL_FORMS, SUB_REGIONS
from core.views_util import run_and_redirect
from surveys.remiss import access, charts, compilation, review, summaries, themes
from surveys.remiss.forms import HandlingForm, QuoteForm, SummaryForm, TagForm
from surveys.remiss.models import POSITIONS
from surveys.remiss.views import bp
from surveys.remiss.views.common import (
    datetime_formatter,
    render_markdown,
    row_form_html,
    row_url,
)


@bp.route("/<int:remiss_id>/oversikt")
@login_required
def dashboard(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    rows = review.submitted_answers_overview(remiss)
    return render_template("surveys/remiss/dashboard.html", remiss=remiss, rows=rows,
                           counts=review.body_counts(remiss), figures=charts.dashboard_figures(rows),
                           section_counts=review.section_position_counts(remiss), labels=_resolved_labels(),
                           short_datetime=datetime_formatter(),
                           answer_url=row_url("remiss.answer_detail", "answer_id", remiss_id=remiss.id))


def _resolved_labels():
    """The lazy label tables as plain strings, translated once per page instead of once per row."""
    return {"positions": {k: str(v) for k, v in POSITIONS.items()},
            "legal_forms": {k: str(v) for k, v in LEGAL_FORMS.items()},
            "sub_regions": {k: str(v) for k, v in SUB_REGIONS.items()}}


@bp.route("/<int:remiss_id>/oversikt/avsnitt/<int:number>")
@login_required
def section_view(remiss_id, number):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    section = access.get_section_by_number_or_404(remiss, number)
    comments = review.section_comment_rows(remiss, section)
    tag_options = themes.theme_options(remiss)
    summary = summaries.get_summary(remiss, section)
    numbers = [s.number for s in remiss.sections]
    i = numbers.index(number)
    return render_template("surveys/remiss/section_view.html", remiss=remiss, section=section, comments=comments,
                           tag_options=tag_options, render_markdown=render_markdown,
                           position_labels=compilation.position_labels(),
                           prev_number=numbers[i - 1] if i > 0 else None,
                           next_number=numbers[i + 1] if i + 1 < len(numbers) else None,
                           tag_form=row_form_html(TagForm, "t", "tag"), quote_form=row_form_html(QuoteForm, "q", "text"),
                           comment_urls={"tag": row_url("remiss.add_tag", "section_answer_id", remiss_id=remiss.id),
                                         "quote": row_url("remiss.add_quote", "section_answer_id", remiss_id=remiss.id)},
                           summary=summary,
                           summary_form=SummaryForm(formdata=None, text=summary.text, version=summary.version))


@bp.route("/<int:remiss_id>/oversikt/sok")
@login_required
def search(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    q = request.args.get("q", "")
    hits = review.search(remiss, q)
    return render_template("surveys/remiss/search.html", remiss=remiss, q=q, hits=hits)


@bp.route("/<int:remiss_id>/inkomna/<int:answer_id>")
@login_required
def answer_detail(remiss_id, answer_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user)
    answer = access.get_answer_for_review_or_404(remiss, answer_id, current_user)
    if not answer.submissions:
        abort(404)
    number = request.args.get("version", type=int) or answer.submissions[-1].number
    submission = next((s for s in answer.submissions if s.number == number), None)
    if submission is None:
        abort(404)
    is_drafter = remiss.is_drafter(current_user)
    return render_template("surveys/remiss/answer_detail.html", remiss=remiss, answer=answer,
                           submission=submission, positions=POSITIONS, is_drafter=is_drafter,
                           general_marks=themes.general_marks(answer) if is_drafter else [],
                           tag_options=themes.theme_options(remiss) if is_drafter else [], tag_form=TagForm)


@bp.route("/<int:remiss_id>/inkomna/<int:answer_id>/personuppgifter", methods=["POST"])
@login_required
def review_personal_data(remiss_id, answer_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    answer = access.get_answer_for_review_or_404(remiss, answer_id, current_user)
    return run_and_redirect(lambda: review.review_personal_data(answer), _("Svaret är granskat och kan publiceras."),
                            url_for("remiss.answer_detail", remiss_id=remiss.id, answer_id=answer.id))


def _section_url(remiss, row):
    return url_for("remiss.section_view", remiss_id=remiss.id, number=row.section.number) + f"#comment-{row.id}"


@bp.route("/<int:remiss_id>/kommentarer/<int:section_answer_id>/teman", methods=["POST"])
@login_required
def add_tag(remiss_id, section_answer_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    row = access.get_section_answer_for_drafter_or_404(remiss, section_answer_id, current_user)
    form = TagForm(prefix=f"t{row.id}")
    return run_and_redirect(lambda: review.add_tag(row, form.tag.data), None, _section_url(remiss, row), form=form,
                            invalid=_("Skriv ett tema."))


@bp.route("/<int:remiss_id>/kommentarer/<int:section_answer_id>/teman/<int:tag_id>/ta-bort", methods=["POST"])
@login_required
def remove_tag(remiss_id, section_answer_id, tag_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    row = access.get_section_answer_for_drafter_or_404(remiss, section_answer_id, current_user)
    return run_and_redirect(lambda: review.remove_tag(row, tag_id), None, _section_url(remiss, row))


@bp.route("/<int:remiss_id>/kommentarer/<int:section_answer_id>/citat", methods=["POST"])
@login_required
def add_quote(remiss_id, section_answer_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    row = access.get_section_answer_for_drafter_or_404(remiss, section_answer_id, current_user)
    form = QuoteForm(prefix=f"q{row.id}")
    return run_and_redirect(lambda: review.add_quote(row, form.text.data, current_user), _("Citatet är markerat."),
                            _section_url(remiss, row), form=form, invalid=_("Klistra in citatet du vill markera."))


@bp.route("/<int:remiss_id>/citat/<int:quote_id>/hantering", methods=["POST"])
@login_required
def set_handling(remiss_id, quote_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    quote = access.get_quote_or_404(remiss, quote_id)
    form = HandlingForm(prefix=f"h{quote.id}")
    return run_and_redirect(lambda: review.set_handling(quote, form.handling.data, form.reason.data),
                            _("Hanteringen är sparad."),
                            url_for("remiss.compilation_page", remiss_id=remiss.id) + f"#quote-{quote.id}", form=form)


@bp.route("/<int:remiss_id>/citat/<int:quote_id>/ta-bort", methods=["POST"])
@login_required
def delete_quote(remiss_id, quote_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    quote = access.get_quote_or_404(remiss, quote_id)
    back = _section_url(remiss, quote.section_answer)
    return run_and_redirect(lambda: review.delete_quote(quote), None, back)
