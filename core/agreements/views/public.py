"""Public pages: published agreements, their signatories, groups with members, and the action plan's status."""
from datetime import date

import sqlalchemy as sa
from flask import current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.agreements import access, actionplan, documents, groups, managing, signing
from core.agreements.forms import (
    ContributionForm,
    DocumentForm,
    EndTermForm,
    EvidenceForm,
    GroupForm,
    IndicatorValueForm,
    MeasureForm,
    MemberForm,
    PartyForm,
    RegisterFilterForm,
    SignForm,
    WithdrawForm,
)
from core.agreements.models import AgreementDocument, IndicatorKind, ParticipationLevel, Side
from core.agreements.views import bp
from core.exports import csv_response, xlsx_response
from core.extensions import db
from core.models import User, utcnow
from core.timeutil import utc_to_local


def this_year():
    return utc_to_local(utcnow()).year


def meeting_url(meeting_id):
    """A link to one of dialog's meetings, when the dialog area is plugged in (core never imports it)."""
    if "dialog.meeting" in current_app.view_functions:
        return url_for("dialog.meeting", meeting_id=meeting_id)
    return None


@bp.route("/")
def index():
    manage = access.can_manage(current_user)
    agreements = managing.all_agreements() if manage else managing.published_agreements()
    return render_template("core/agreements/index.html", agreements=agreements, manage=manage)


@bp.route("/<int:agreement_id>")
def detail(agreement_id):
    return detail_page(access.get_agreement_or_404(agreement_id, current_user))


def detail_page(agreement, status=200, **forms):
    """The agreement's page; an administrator's forms come bound to what was posted when a post was refused."""
    manage = access.can_manage(current_user)
    context = {"agreement": agreement, "manage": manage, "counts": signing.counts(agreement)}
    if manage:
        party_form = forms.get("party_form") or PartyForm(prefix="party", formdata=None)
        party_form.organisation_id.choices = [(0, _("Välj organisation"))] + managing.organisation_choices()
        contribution_form = forms.get("contribution_form") or ContributionForm(prefix="contribution", formdata=None)
        contribution_form.party_id.choices = [(p.id, p.organisation.name) for p in agreement.parties]
        context.update(party_form=party_form, contribution_form=contribution_form,
                       document_form=forms.get("document_form") or DocumentForm(prefix="document", formdata=None),
                       group_form=forms.get("group_form") or GroupForm(prefix="group", formdata=None))
    return render_template("core/agreements/detail.html", **context), status


@bp.route("/<int:agreement_id>/dokument/<int:document_id>")
def document(agreement_id, document_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user)
    doc = access.get_child_or_404(AgreementDocument, document_id, agreement)
    return send_file(documents.path_of(doc), mimetype="application/pdf", as_attachment=True,
                     download_name=doc.filename)


def _register_rows(agreement):
    form = RegisterFilterForm(request.args)
    include_withdrawn = request.args.get("lamnade") == "1"
    rows = signing.register(agreement, include_withdrawn=include_withdrawn, **form.filters())
    return form, rows, include_withdrawn


@bp.route("/<int:agreement_id>/undertecknare")
def signatories(agreement_id):
    return signatories_page(access.get_agreement_or_404(agreement_id, current_user))


def signatories_page(agreement, status=200, **forms):
    form, rows, include_withdrawn = _register_rows(agreement)
    args = {k: v for k, v in request.args.items() if k in ("legal_form", "sub_region", "lamnade") and v}
    context = {"agreement": agreement, "form": form, "rows": rows, "args": args,
               "include_withdrawn": include_withdrawn, "manage": access.can_manage(current_user),
               "withdraw_errors": forms.get("withdraw_errors", {})}
    if context["manage"]:
        sign_form = forms.get("sign_form") or SignForm(prefix="sign", formdata=None)
        sign_form.organisation_id.choices = [(0, _("Välj organisation"))] + managing.organisation_choices()
        context.update(sign_form=sign_form, withdraw_form=WithdrawForm(prefix="withdraw", formdata=None))
    return render_template("core/agreements/signatories.html", **context), status


@bp.route("/<int:agreement_id>/undertecknare.<any(csv, xlsx):kind>")
def signatories_export(agreement_id, kind):
    agreement = access.get_agreement_or_404(agreement_id, current_user)
    _form, rows, _include = _register_rows(agreement)
    header, body = signing.export_table(rows)
    filename = f"undertecknare-{agreement.id}-{date.today().isoformat()}.{kind}"
    if kind == "csv":
        return csv_response(filename, header, body)
    return xlsx_response(filename, [(_("Undertecknare"), header, body)])


@bp.route("/grupper/<int:group_id>")
def group(group_id):
    return group_page(access.get_group_or_404(group_id, for_user=current_user))


def group_page(group, status=200, **forms):
    today = date.today()
    year = request.args.get("ar", type=int) or this_year()
    members = sorted(group.members, key=lambda m: (m.side != Side.REGION, m.display_name))
    meetings = [{"title": row.title, "starts_at": row.starts_at, "url": meeting_url(row.id)}
                for row in groups.meetings(group, year)]
    context = {"group": group, "agreement": group.agreement, "today": today,
               "current": [m for m in members if m.serves_on(today)],
               "former": [m for m in members if not m.serves_on(today)],
               "balance": groups.side_balance(group, today), "target": groups.year_target(group, year),
               "next_convener": groups.next_convener(group), "meetings": meetings, "year": year,
               "manage": access.can_manage(current_user), "now": utcnow(), "end_errors": forms.get("end_errors", {})}
    if context["manage"]:
        member_form = forms.get("member_form") or MemberForm(prefix="member", formdata=None)
        member_form.user_id.choices = [(0, _("Ingen – skriv namnet"))] + [
            (u.id, u.display_name) for u in db.session.scalars(sa.select(User).order_by(User.name))]
        member_form.organisation_id.choices = [(0, _("Ingen organisation"))] + managing.organisation_choices()
        context.update(member_form=member_form, end_form=EndTermForm(prefix="end", formdata=None))
    return render_template("core/agreements/group.html", **context), status


def _cell_url(agreement, year):
    return lambda p, lv: url_for("agreements.cell", agreement_id=agreement.id, principle_id=p.id, level_id=lv.id,
                                 ar=year)


@bp.route("/<int:agreement_id>/handlingsplan")
def actionplan_page(agreement_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user)
    year = request.args.get("ar", type=int) or this_year()
    cells = actionplan.matrix(agreement, year)
    figure = actionplan.heatmap(agreement, year, cells, _cell_url(agreement, year)) if agreement.principles else None
    return render_template("core/agreements/actionplan.html", agreement=agreement, year=year, cells=cells,
                           figure=figure, cell_url=_cell_url(agreement, year), today=date.today(),
                           summary=actionplan.measures_summary(agreement), manage=access.can_manage(current_user),
                           measure_form=MeasureForm(prefix="measure"))


@bp.route("/<int:agreement_id>/handlingsplan/<int:principle_id>/<int:level_id>")
def cell(agreement_id, principle_id, level_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user)
    principle = access.get_principle_or_404(agreement, principle_id)
    level = access.get_child_or_404(ParticipationLevel, level_id, agreement)
    return cell_page(agreement, principle, level)


def cell_page(agreement, principle, level, status=200, year=None, **forms):
    year = year or request.args.get("ar", type=int) or this_year()
    the_cell = actionplan.matrix(agreement, year)[(principle.id, level.id)]
    manage = access.can_manage(current_user)
    context = {"agreement": agreement, "principle": principle, "level": level, "year": year, "cell": the_cell,
               "manage": manage, "yes_no": IndicatorKind.YES_NO, "value_errors": forms.get("value_errors", {})}
    if manage:
        evidence_form = forms.get("evidence_form") or EvidenceForm(prefix="evidence", formdata=None)
        evidence_form.candidate.choices = [("", _("Välj underlag"))] + [
            (f"{c['kind']}:{c['id']}", c["label"]) for c in actionplan.evidence_candidates(year=year)]
        context.update(value_form=IndicatorValueForm(prefix="value", formdata=None), evidence_form=evidence_form)
    return render_template("core/agreements/cell.html", **context), status
