"""The drafting group's themes: the themes page with its charts, the comments behind a total, and themes on
general comments and marked quotes (section comments keep theirs in views/review.py)."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.models import LEGAL_FORMS, SUB_REGIONS
from core.views_util import run_and_redirect
from surveys.remiss import access, themes
from surveys.remiss.forms import TagForm
from surveys.remiss.views import bp


@bp.route("/<int:remiss_id>/teman")
@login_required
def themes_page(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    totals = themes.totals(remiss)
    return render_template("surveys/remiss/themes.html", remiss=remiss, totals=totals,
                           figures=themes.figures(remiss, totals) if totals["themes"] else None,
                           forms=themes.group_table(totals, "by_legal_form", LEGAL_FORMS),
                           regions=themes.group_table(totals, "by_sub_region", SUB_REGIONS),
                           comments_url=themes.comments_url)


@bp.route("/<int:remiss_id>/teman/kommentarer")
@login_required
def theme_comments(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    tag = request.args.get("tema", "")
    number = request.args.get("avsnitt", type=int)
    legal_form = request.args.get("form") or None
    sub_region = request.args.get("region") or None
    items = themes.comments_for(remiss, tag, number, legal_form, sub_region)
    section = next((s for s in remiss.sections if s.number == number), None) if number else None
    return render_template("surveys/remiss/theme_comments.html", remiss=remiss, tag=tag, items=items,
                           number=number, section=section,
                           legal_form=(str(LEGAL_FORMS.get(legal_form, legal_form)) if legal_form != "-"
                                       else _("Okänd")) if legal_form else None,
                           sub_region=(str(SUB_REGIONS.get(sub_region, sub_region)) if sub_region != "-"
                                       else _("Okänd")) if sub_region else None)


@bp.route("/<int:remiss_id>/inkomna/<int:answer_id>/teman", methods=["POST"])
@login_required
def add_general_theme(remiss_id, answer_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    answer = access.get_answer_for_review_or_404(remiss, answer_id, current_user)
    form = TagForm(prefix="g")
    return run_and_redirect(lambda: themes.add_general_theme(answer, form.tag.data, current_user), None,
                            url_for("remiss.answer_detail", remiss_id=remiss.id, answer_id=answer.id) + "#teman",
                            form=form, invalid=_("Skriv ett tema."))


@bp.route("/<int:remiss_id>/citat/<int:quote_id>/teman", methods=["POST"])
@login_required
def add_quote_theme(remiss_id, quote_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    quote = access.get_quote_or_404(remiss, quote_id)
    form = TagForm(prefix=f"qt{quote.id}")
    return run_and_redirect(lambda: themes.add_quote_theme(quote, form.tag.data, current_user), None,
                            url_for("remiss.compilation_page", remiss_id=remiss.id) + f"#quote-{quote.id}",
                            form=form, invalid=_("Skriv ett tema."))


@bp.route("/<int:remiss_id>/teman/<int:mark_id>/ta-bort", methods=["POST"])
@login_required
def remove_theme_mark(remiss_id, mark_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    mark = access.get_theme_mark_or_404(remiss, mark_id)
    if mark.quote_id:
        back = url_for("remiss.compilation_page", remiss_id=remiss.id) + f"#quote-{mark.quote_id}"
    else:
        back = url_for("remiss.answer_detail", remiss_id=remiss.id, answer_id=mark.answer_id) + "#teman"
    return run_and_redirect(lambda: themes.remove_mark(mark), None, back)
