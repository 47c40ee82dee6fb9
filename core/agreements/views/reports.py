"""The yearly report: a page for its writers (text per section, publish), the public page once published,
a printable view and a .docx. The figures are computed on every request, so they always match the data."""
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.agreements import access, reporting
from core.agreements.forms import ReportTextForm
from core.agreements.models import AgreementError
from core.agreements.views import bp
from core.forms import EmptyForm
from core.models import utcnow


def _cell_url(agreement, year):
    return lambda p, lv: url_for("agreements.cell", agreement_id=agreement.id, principle_id=p.id, level_id=lv.id,
                                 ar=year)


def _sections(agreement, year):
    return reporting.build(agreement, year, _cell_url(agreement, year), now=utcnow())


def _check_year(agreement, year):
    if not reporting.valid_year(agreement, year):
        abort(404)


@bp.route("/<int:agreement_id>/arsberattelse")
def reports(agreement_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user)
    editor = access.can_edit_report(agreement, current_user)
    existing = {r.year: r for r in reporting.reports_of(agreement)}
    years = [(year, existing.get(year)) for year in reporting.report_years(agreement)
             if editor or (existing.get(year) is not None and existing[year].is_published)]
    return render_template("core/agreements/reports.html", agreement=agreement, years=years, editor=editor)


@bp.route("/<int:agreement_id>/arsberattelse/<int:year>")
def report(agreement_id, year):
    agreement, row = access.get_report_or_404(agreement_id, year, current_user)
    _check_year(agreement, year)
    return report_page(agreement, year, row)


def report_page(agreement, year, row, status=200, printable=False, failed=None):
    """failed: (section key, form) of a refused save, shown again with what was typed and why."""
    editor = access.can_edit_report(agreement, current_user) and not printable
    sections = _sections(agreement, year)
    forms = {}
    if editor:
        for section in sections:
            if failed and failed[0] == section.key:
                forms[section.key] = failed[1]
            else:
                forms[section.key] = ReportTextForm(formdata=None, text=row.text_for(section.key) if row else "")
    return render_template("core/agreements/report.html", agreement=agreement, year=year, report=row,
                           sections=sections, editor=editor, forms=forms, printable=printable), status


@bp.route("/<int:agreement_id>/arsberattelse/<int:year>/utskrift")
def report_print(agreement_id, year):
    agreement, row = access.get_report_or_404(agreement_id, year, current_user)
    _check_year(agreement, year)
    return report_page(agreement, year, row, printable=True)


@bp.route("/<int:agreement_id>/arsberattelse/<int:year>.docx")
def report_docx(agreement_id, year):
    agreement, row = access.get_report_or_404(agreement_id, year, current_user)
    _check_year(agreement, year)
    data = reporting.to_docx(agreement, year, row, _sections(agreement, year))
    return send_file(reporting.docx_stream(data), as_attachment=True,
                     download_name=f"arsberattelse-{year}-{agreement.id}.docx",
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.route("/<int:agreement_id>/arsberattelse/<int:year>/text/<key>", methods=["POST"])
def report_text(agreement_id, year, key):
    agreement, row = access.get_report_or_404(agreement_id, year, current_user, edit=True)
    _check_year(agreement, year)
    form = ReportTextForm()
    if not form.validate_on_submit():
        return report_page(agreement, year, row, status=400, failed=(key, form))
    keys = {s.key for s in _sections(agreement, year)}
    if key not in keys:
        abort(404)
    row = row or reporting.get_or_create_report(agreement, year)
    try:
        reporting.save_text(row, key, form.text.data, keys)
    except AgreementError as exc:
        form.text.errors = [str(exc.message)]
        return report_page(agreement, year, row, status=400, failed=(key, form))
    flash(_("Texten är sparad."), "success")
    return redirect(url_for("agreements.report", agreement_id=agreement.id, year=year) + f"#section-{key}")


@bp.route("/<int:agreement_id>/arsberattelse/<int:year>/<any(publicera, avpublicera):action>", methods=["POST"])
def report_publish(agreement_id, year, action):
    agreement, row = access.get_report_or_404(agreement_id, year, current_user, edit=True)
    _check_year(agreement, year)
    if EmptyForm().validate_on_submit():
        row = row or reporting.get_or_create_report(agreement, year)
        try:
            (reporting.publish if action == "publicera" else reporting.unpublish)(row)
        except AgreementError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Årsberättelsen är publicerad.") if row.is_published
                  else _("Årsberättelsen är ett utkast igen."), "success")
    return redirect(url_for("agreements.report", agreement_id=agreement.id, year=year))

