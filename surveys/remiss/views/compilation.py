"""The compilation (remissammanställning) and its exports for the drafting group, and the public page of
published answers."""
from flask import Response, render_template
from flask_login import current_user, login_required

from surveys.remiss import access, compilation, summaries, themes
from surveys.remiss.compilation_docx import DOCX_MIMETYPE, build_docx
from surveys.remiss.csv_export import csv_response
from surveys.remiss.forms import HandlingForm, SummaryForm, TagForm
from surveys.remiss.models import HANDLINGS, POSITIONS, RemissStatus
from surveys.remiss.views import bp
from surveys.remiss.views.common import VALUE, cycle_collector_paused, render_markdown, row_form_html, row_url
from surveys.remiss.xlsx import xlsx_response


@bp.route("/<int:remiss_id>/sammanstallning")
@login_required
def compilation_page(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    data = compilation.compilation(remiss)
    saved = summaries.all_summaries(remiss, written_only=False)
    summary = saved.get(None) or summaries.unsaved(remiss)
    # Each point's handling form, rendered once per choice; the template stamps in the point's id and reason.
    handling_form = row_form_html(HandlingForm, "h", "reason", reason=VALUE)
    handling_form["handling"] = {value: row_form_html(HandlingForm, "h", "handling", handling=value)["handling"]
                                 for value in ["", *HANDLINGS]}
    return render_template("surveys/remiss/compilation.html", remiss=remiss, data=data,
                           handling_form=handling_form, render_markdown=render_markdown,
                           handling_labels={k: str(v) for k, v in HANDLINGS.items()},
                           status_labels=compilation.status_labels(),
                           quote_marks=themes.quote_marks(remiss), tag_form=row_form_html(TagForm, "qt", "tag"),
                           point_urls={"theme": row_url("remiss.add_quote_theme", "quote_id", remiss_id=remiss.id),
                                       "handling": row_url("remiss.set_handling", "quote_id", remiss_id=remiss.id)},
                           tag_options=themes.theme_options(remiss), summary=summary,
                           summary_form=SummaryForm(formdata=None, text=summary.text, version=summary.version),
                           section_summaries={k: v for k, v in saved.items() if v.text.strip()})


def _filename(remiss, ext):
    base = "".join(ch if ch.isalnum() else "-" for ch in (remiss.diarienummer or f"remiss-{remiss.id}"))
    return f"remissammanstallning-{base.strip('-').lower()}.{ext}"


@bp.route("/<int:remiss_id>/sammanstallning.xlsx")
@login_required
def export_xlsx(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    with cycle_collector_paused():
        return xlsx_response(_filename(remiss, "xlsx"), compilation.export_sheets(remiss))


@bp.route("/<int:remiss_id>/sammanstallning.docx")
@login_required
def export_docx(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    with cycle_collector_paused():
        document = build_docx(remiss)
    return Response(document, mimetype=DOCX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{_filename(remiss, "docx")}"'})


@bp.route("/<int:remiss_id>/sammanstallning.csv")
@login_required
def export_csv(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    with cycle_collector_paused():
        header, rows = compilation.csv_rows(remiss)
        return csv_response(_filename(remiss, "csv"), header, rows)


# --- public -------------------------------------------------------------------

@bp.route("/<int:remiss_id>/offentligt")
def public(remiss_id):
    remiss = access.get_public_remiss_or_404(remiss_id)
    # Once compiled, everyone can trace what became of the points the drafting group marked.
    points = compilation.public_points(remiss) if remiss.status == RemissStatus.COMPILED else []
    return render_template("surveys/remiss/public.html", remiss=remiss, points=points,
                           answers=compilation.public_answers(remiss), render_markdown=render_markdown)


@bp.route("/<int:remiss_id>/offentligt.csv")
def public_csv(remiss_id):
    remiss = access.get_public_remiss_or_404(remiss_id)
    with cycle_collector_paused():
        header, rows = compilation.csv_rows(remiss, public_only=True)
        return csv_response(f"remissvar-{remiss.id}.csv", header, rows)


@bp.route("/<int:remiss_id>/vi-gjorde")
def outcome(remiss_id):
    """Vi frågade – ni svarade – vi gjorde: the public account of a compiled remiss."""
    remiss = access.get_compiled_remiss_or_404(remiss_id)
    return render_template("surveys/remiss/outcome.html", remiss=remiss, data=compilation.outcome(remiss),
                           main_themes=themes.main_themes(remiss), summary=summaries.get_summary(remiss),
                           positions=POSITIONS, handlings=HANDLINGS, render_markdown=render_markdown)
