"""Results of a session: the page (for its moderator, or anyone once published), comparison and exports."""
import json
from datetime import date

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from core.charts import safe_json_text
from core.exports import csv_response, xlsx_response
from surveys.barometer import charts, results
from surveys.barometer.access import get_session_or_404
from surveys.barometer.sessions import meeting_labels
from surveys.barometer.views import bp, moderator_required


def _results_rows(session):
    return [(f"{number}. {_short(statement.text)}", statement, tally)
            for number, statement, tally in results.results(session)]


def _short(text, length=60):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@bp.get("/sessioner/<int:session_id>/resultat", endpoint="results")
def results_page(session_id):
    session = get_session_or_404(session_id, current_user, public_if_shown=True)
    rows = results.results(session)
    figure = charts.likert_figure(_results_rows(session))
    others = results.comparable_sessions(session)
    other = None
    compare_figures = []
    other_id = request.args.get("jamfor", type=int)
    if other_id:
        other = next((s for s in others if s.id == other_id), None)
        if other is None:
            flash(_("Den sessionen går inte att jämföra med."), "error")
    if other is not None:
        mine = {s.id: t for _n, s, t in rows}
        theirs = {s.id: t for _n, s, t in results.results(other)}
        for number, statement, _tally in rows:
            figure_rows = [(session.display_name, statement, mine[statement.id]),
                           (other.display_name, statement, theirs[statement.id])]
            compare_figures.append((number, statement, mine[statement.id], theirs[statement.id],
                                    safe_json_text(json.dumps(charts.likert_figure(figure_rows, height=240)))))
    can_manage = session.barometer.can_manage(current_user)
    return render_template(
        "surveys/barometer/results.html", session=session, barometer=session.barometer, rows=rows,
        figure=safe_json_text(json.dumps(figure)), breakdown=results.breakdown(session),
        participants=results.participant_count(session), others=others if can_manage else [],
        other=other, compare_figures=compare_figures, can_manage=can_manage, mean_label=charts.mean_label,
        meeting_label=meeting_labels([session]).get(session.meeting_id),
    )


def _export_name(session, ext):
    return f"barometer-{session.code}-{date.today().isoformat()}.{ext}"


@bp.get("/sessioner/<int:session_id>/resultat.csv")
@moderator_required
def export_csv(session_id):
    session = get_session_or_404(session_id, current_user)
    header, rows = results.export_rows(session)
    return csv_response(_export_name(session, "csv"), header, rows)


@bp.get("/sessioner/<int:session_id>/resultat.xlsx")
@moderator_required
def export_xlsx(session_id):
    session = get_session_or_404(session_id, current_user)
    header, rows = results.export_rows(session)
    answer_header, answer_rows = results.export_answer_rows(session)
    return xlsx_response(_export_name(session, "xlsx"),
                         [(_("Resultat"), header, rows), (_("Svar"), answer_header, answer_rows)])
