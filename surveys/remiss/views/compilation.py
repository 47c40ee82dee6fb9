"""The compilation (remissammanställning) and its exports for the drafting group, and the public page of
published answers."""
from flask import render_template
from flask_login import current_user, login_required

from core.exports import csv_response
from surveys.remiss import access, compilation
from surveys.remiss.forms import HandlingForm
from surveys.remiss.models import RemissStatus
from surveys.remiss.views import bp
from surveys.remiss.views.common import render_markdown
from surveys.remiss.xlsx import xlsx_response


@bp.route("/<int:remiss_id>/sammanstallning")
@login_required
def compilation_page(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    return render_template("surveys/remiss/compilation.html", remiss=remiss, data=compilation.compilation(remiss),
                           handling_form=HandlingForm, render_markdown=render_markdown)


def _filename(remiss, ext):
    base = "".join(ch if ch.isalnum() else "-" for ch in (remiss.diarienummer or f"remiss-{remiss.id}"))
    return f"remissammanstallning-{base.strip('-').lower()}.{ext}"


@bp.route("/<int:remiss_id>/sammanstallning.xlsx")
@login_required
def export_xlsx(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    return xlsx_response(_filename(remiss, "xlsx"), compilation.export_sheets(remiss))


@bp.route("/<int:remiss_id>/sammanstallning.csv")
@login_required
def export_csv(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
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
    header, rows = compilation.csv_rows(remiss, public_only=True)
    return csv_response(f"remissvar-{remiss.id}.csv", header, rows)
