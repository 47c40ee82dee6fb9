"""The drafting group's revised versions of the draft: list and create, edit per section, side by side with the
comments that led to each change."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.views_util import run_and_redirect
from surveys.remiss import access, drafts, review
from surveys.remiss.forms import SectionForm, TargetForm, VersionForm
from surveys.remiss.views import bp
from surveys.remiss.views.common import render_markdown


@bp.route("/<int:remiss_id>/versioner", methods=["GET", "POST"])
@login_required
def versions(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    form = VersionForm(prefix="v")
    return run_and_redirect(
        lambda: drafts.start_version(remiss, current_user, form.note.data, form.file.data),
        lambda version: _("Version %(n)s är skapad.", n=version.number),
        lambda version: url_for("remiss.version_compare", remiss_id=remiss.id, number=version.number), form=form,
        again=lambda: render_template("surveys/remiss/versions.html", remiss=remiss, versions=drafts.versions(remiss),
                                      form=form, can_start=remiss.status in drafts.VERSION_STATUSES))


@bp.route("/<int:remiss_id>/versioner/<int:number>")
@login_required
def version_compare(remiss_id, number):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    version = access.get_version_or_404(remiss, number)
    rows = drafts.compare(remiss, version)
    targets = drafts.targets_by_quote(version)
    choices = [(0, _("Inget avsnitt"))] + [(s.id, f"{s.number}. {s.heading}") for s in version.sections]
    forms = {}
    for row in rows:
        for quote, _org, _here in row.quotes:
            form = TargetForm(prefix=f"t{quote.id}", formdata=None, handling=quote.handling or "",
                              reason=quote.handling_reason, target=targets.get(quote.id, 0))
            form.target.choices = choices
            forms[quote.id] = form
    return render_template("surveys/remiss/version_compare.html", remiss=remiss, version=version, rows=rows,
                           forms=forms, render_markdown=render_markdown)


@bp.route("/<int:remiss_id>/versioner/<int:number>/avsnitt/<int:version_section_id>", methods=["GET", "POST"])
@login_required
def edit_version_section(remiss_id, number, version_section_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    version = access.get_version_or_404(remiss, number)
    section = access.get_version_section_or_404(version, version_section_id)
    form = SectionForm(obj=section)
    return run_and_redirect(
        lambda: drafts.update_section(section, form.heading.data, form.text.data), _("Avsnittet är sparat."),
        url_for("remiss.version_compare", remiss_id=remiss.id, number=version.number) + f"#v-{section.id}",
        form=form, again=lambda: render_template("surveys/remiss/version_section_form.html", remiss=remiss,
                                                 version=version, section=section, form=form,
                                                 render_markdown=render_markdown))


@bp.route("/<int:remiss_id>/versioner/<int:number>/citat/<int:quote_id>", methods=["POST"])
@login_required
def set_quote_target(remiss_id, number, quote_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    version = access.get_version_or_404(remiss, number)
    quote = access.get_quote_or_404(remiss, quote_id)
    form = TargetForm(prefix=f"t{quote.id}")
    form.target.choices = [(0, "")] + [(s.id, "") for s in version.sections]

    def save():
        review.set_handling(quote, form.handling.data, form.reason.data)
        target = access.get_version_section_or_404(version, form.target.data) if form.target.data else None
        drafts.set_target(quote, target)

    return run_and_redirect(save, _("Hanteringen är sparad."),
                            url_for("remiss.version_compare", remiss_id=remiss.id, number=version.number)
                            + f"#quote-{quote.id}", form=form, invalid=_("Välj ett avsnitt i listan."))
