"""Organisers' series: create and edit a series, its numbers and charts, and their export."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.exports import csv_response, xlsx_response
from dialog import access
from dialog import meetings as svc
from dialog.charts import series_figures
from dialog.forms import SeriesForm
from dialog.models import MeetingSeries
from dialog.stats import (
    PER_MEETING_HEADER,
    attendance_rows,
    organisation_header,
    organisation_table,
    per_meeting_rows,
    series_reach,
)
from dialog.views.organising import bp


def _edit_series(series):
    form = SeriesForm(obj=series) if request.method == "GET" and series.id else SeriesForm()
    if request.method == "GET" and series.id:
        form.organiser_id.data = series.organiser_id or 0
    if form.validate_on_submit():
        svc.save_series(series, form.title.data.strip(), form.description.data or "",
                        form.organiser_id.data or None)
        flash(_("Serien är sparad."), "success")
        return redirect(url_for("dialog.series", series_id=series.id))
    return render_template("dialog/manage/series_form.html", form=form, series=series)


@bp.route("/serier/ny", methods=["GET", "POST"])
def new_series():
    return _edit_series(MeetingSeries())


@bp.route("/serier/<int:series_id>/andra", methods=["GET", "POST"])
def edit_series(series_id):
    return _edit_series(access.get_series_or_404(series_id, current_user, edit=True))


@bp.route("/serier/<int:series_id>/statistik")
def series_stats(series_id):
    series = access.get_series_or_404(series_id, current_user, edit=True)
    meetings = list(series.meetings)
    return render_template("dialog/manage/stats.html", series=series, rows=attendance_rows(meetings),
                           reach=series_reach(meetings),
                           charts=series_figures(meetings) if meetings else [])


@bp.route("/serier/<int:series_id>/statistik.<fmt>")
def export_series(series_id, fmt):
    series = access.get_series_or_404(series_id, current_user, edit=True)
    meetings = list(series.meetings)
    org_header, org_rows = organisation_header(meetings), organisation_table(meetings)
    if fmt == "csv":
        return csv_response(f"serie-{series.id}-organisationer.csv", org_header, org_rows)
    if fmt == "xlsx":
        return xlsx_response(f"serie-{series.id}.xlsx", [("Möten", PER_MEETING_HEADER, per_meeting_rows(meetings)),
                                                         ("Organisationer", org_header, org_rows)])
    abort(404)
