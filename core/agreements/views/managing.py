"""The administrators' pages: write an agreement, its parties, contributions, documents, signatories, groups
and the action plan's follow-up. A refused post shows the page again with what was typed and why."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.access import role_required
from core.agreements import access, actionplan, documents, groups, managing, signing
from core.agreements.forms import (
    AgreementForm,
    ContributionForm,
    DocumentForm,
    EndTermForm,
    EvidenceForm,
    GroupForm,
    IndicatorValueForm,
    MeasureForm,
    MemberForm,
    PartyForm,
    SignForm,
    WithdrawForm,
)
from core.agreements.models import (
    AgreementDocument,
    AgreementError,
    AgreementParty,
    Contribution,
    Evidence,
    GroupMember,
    Indicator,
    IndicatorKind,
    Measure,
    ParticipationLevel,
    Signatory,
)
from core.agreements.views import bp
from core.agreements.views.public import cell_page, detail_page, group_page, signatories_page
from core.extensions import db
from core.forms import EmptyForm
from core.models import Organisation, Role, User
from core.views_util import apply_errors, run_and_redirect


def _organisation(org_id):
    return db.session.get(Organisation, org_id) if org_id else None


# --- the agreement itself ------------------------------------------------------------------------------------

def _save_agreement(form, agreement=None):
    """The saved agreement, or None with every error beside its field: the service checks all fields even when
    WTForms already refused one (a date it could not read), so a person sees all that is wrong at once."""
    if not form.is_submitted():
        return None
    form_ok = form.validate()
    if form.csrf_token.errors:
        return None
    _clean, errors = managing.clean_agreement_data(form.data_dict())
    errors = {key: message for key, message in errors.items() if not form[key].errors}
    if errors:
        apply_errors(form, managing.AgreementErrors(errors))
    if errors or not form_ok:
        return None
    if agreement is None:
        return managing.create_agreement(form.data_dict())
    return managing.update_agreement(agreement, form.data_dict())


@bp.route("/ny", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = AgreementForm()
    agreement = _save_agreement(form)
    if agreement is not None:
        flash(_("Överenskommelsen är sparad som utkast."), "success")
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template("core/agreements/form.html", form=form, agreement=None), 400 if form.errors else 200


@bp.route("/<int:agreement_id>/andra", methods=["GET", "POST"])
def edit(agreement_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    form = AgreementForm(obj=agreement)
    if _save_agreement(form, agreement) is not None:
        flash(_("Ändringarna är sparade."), "success")
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template("core/agreements/form.html", form=form, agreement=agreement), 400 if form.errors else 200


@bp.route("/<int:agreement_id>/<any(publicera, avpublicera):action>", methods=["POST"])
def set_published(agreement_id, action):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    return run_and_redirect(
        lambda: (managing.publish if action == "publicera" else managing.unpublish)(agreement),
        lambda _none: (_("Överenskommelsen är publicerad.") if agreement.is_published
                       else _("Överenskommelsen är ett utkast igen.")),
        url_for("agreements.detail", agreement_id=agreement.id))


@bp.route("/<int:agreement_id>/parter", methods=["POST"])
def add_party(agreement_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    form = PartyForm(prefix="party")
    return run_and_redirect(
        lambda: managing.add_party(agreement, _organisation(form.organisation_id.data), form.side.data,
                                   contact_name=form.contact_name.data or "",
                                   abbreviation=form.abbreviation.data or "",
                                   acting_through=form.acting_through.data or "",
                                   contact_email=form.contact_email.data or ""),
        _("Parten är tillagd."), url_for("agreements.detail", agreement_id=agreement.id) + "#parter",
        form=form, again=lambda: detail_page(agreement, 400, party_form=form))


@bp.route("/<int:agreement_id>/parter/<int:party_id>/ta-bort", methods=["POST"])
def remove_party(agreement_id, party_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    party = access.get_child_or_404(AgreementParty, party_id, agreement)
    return run_and_redirect(lambda: managing.remove_party(party), _("Parten är borttagen."),
                            url_for("agreements.detail", agreement_id=agreement.id) + "#parter")


@bp.route("/<int:agreement_id>/bidrag", methods=["POST"])
def add_contribution(agreement_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    form = ContributionForm(prefix="contribution")
    form.party_id.choices = [(p.id, p.organisation.name) for p in agreement.parties]
    return run_and_redirect(
        lambda: managing.add_contribution(agreement, db.session.get(AgreementParty, form.party_id.data or 0),
                                          form.period_start.data, form.period_end.data, form.amount_sek.data,
                                          form.payment_rhythm.data, form.description.data),
        _("Insatsen är tillagd."), url_for("agreements.detail", agreement_id=agreement.id) + "#insatser",
        form=form, again=lambda: detail_page(agreement, 400, contribution_form=form))


@bp.route("/<int:agreement_id>/bidrag/<int:contribution_id>/ta-bort", methods=["POST"])
def remove_contribution(agreement_id, contribution_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    row = access.get_child_or_404(Contribution, contribution_id, agreement)
    return run_and_redirect(lambda: managing.remove_contribution(row), _("Insatsen är borttagen."),
                            url_for("agreements.detail", agreement_id=agreement.id) + "#insatser")


@bp.route("/<int:agreement_id>/dokument", methods=["POST"])
def upload_document(agreement_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    form = DocumentForm(prefix="document")
    return run_and_redirect(lambda: documents.store_document(agreement, form.file.data, form.title.data),
                            _("Dokumentet är uppladdat."),
                            url_for("agreements.detail", agreement_id=agreement.id) + "#dokument",
                            form=form, again=lambda: detail_page(agreement, 400, document_form=form))


@bp.route("/<int:agreement_id>/dokument/<int:document_id>/ta-bort", methods=["POST"])
def remove_document(agreement_id, document_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    doc = access.get_child_or_404(AgreementDocument, document_id, agreement)
    return run_and_redirect(lambda: documents.remove_document(doc), _("Dokumentet är borttaget."),
                            url_for("agreements.detail", agreement_id=agreement.id) + "#dokument")


# --- signatories -------------------------------------------------------------------------------------------

@bp.route("/<int:agreement_id>/undertecknare", methods=["POST"])
def sign(agreement_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    form = SignForm(prefix="sign")
    return run_and_redirect(
        lambda: signing.sign(agreement, _organisation(form.organisation_id.data), form.signed_on.data,
                             form.signatory_name.data, form.signatory_title.data),
        _("Underskriften är registrerad."), url_for("agreements.signatories", agreement_id=agreement.id),
        form=form, again=lambda: signatories_page(agreement, 400, sign_form=form))


@bp.route("/<int:agreement_id>/undertecknare/<int:signatory_id>/lamna", methods=["POST"])
def withdraw(agreement_id, signatory_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    row = access.get_child_or_404(Signatory, signatory_id, agreement)
    form = WithdrawForm(prefix="withdraw")
    if form.validate_on_submit():
        try:
            signing.withdraw(row, form.withdrawn_on.data)
        except AgreementError as exc:
            return signatories_page(agreement, 400, withdraw_errors={row.id: str(exc.message)})
        flash(_("%(name)s har lämnat överenskommelsen.", name=row.organisation.name), "success")
        return redirect(url_for("agreements.signatories", agreement_id=agreement.id))
    message = " ".join(str(m) for m in form.withdrawn_on.errors) or _("Ange dagen då organisationen lämnade.")
    return signatories_page(agreement, 400, withdraw_errors={row.id: message})


# --- groups ------------------------------------------------------------------------------------------------

@bp.route("/<int:agreement_id>/grupper", methods=["POST"])
def create_group(agreement_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    form = GroupForm(prefix="group")
    return run_and_redirect(
        lambda: groups.create_group(agreement, form.kind.data, form.name.data, form.description.data,
                                    form.equal_sides_required.data, form.meetings_min_per_year.data,
                                    form.meetings_max_per_year.data, form.meetings_min_spring.data,
                                    form.meetings_min_autumn.data),
        _("Gruppen är skapad."), lambda group: url_for("agreements.group", group_id=group.id),
        form=form, again=lambda: detail_page(agreement, 400, group_form=form))


@bp.route("/grupper/<int:group_id>/medlemmar", methods=["POST"])
def add_member(group_id):
    group = access.get_group_or_404(group_id, current_user, manage=True)
    form = MemberForm(prefix="member")

    def add():
        user = db.session.get(User, form.user_id.data) if form.user_id.data else None
        groups.add_member(group, form.side.data, form.term_start.data, form.term_end.data, user=user,
                          name=form.name.data, organisation=_organisation(form.organisation_id.data),
                          role=form.role.data)

    return run_and_redirect(add, _("Medlemmen är tillagd."), url_for("agreements.group", group_id=group.id),
                            form=form, again=lambda: group_page(group, 400, member_form=form))


@bp.route("/grupper/<int:group_id>/medlemmar/<int:member_id>/avsluta", methods=["POST"])
def end_term(group_id, member_id):
    group = access.get_group_or_404(group_id, current_user, manage=True)
    member = db.session.get(GroupMember, member_id)
    if member is None or member.group_id != group.id:
        return group_page(group, 404)
    form = EndTermForm(prefix="end")
    if form.validate_on_submit():
        try:
            groups.end_term(member, form.term_end.data)
        except AgreementError as exc:
            return group_page(group, 400, end_errors={member.id: str(exc.message)})
        flash(_("Mandatperioden är avslutad."), "success")
        return redirect(url_for("agreements.group", group_id=group.id))
    message = " ".join(str(m) for m in form.term_end.errors) or _("Ange mandatperiodens sista dag.")
    return group_page(group, 400, end_errors={member.id: message})


@bp.route("/grupper/<int:group_id>/turordning", methods=["POST"])
def set_rota(group_id):
    """The rota from the parties' places as typed (1, 2, 3 …); a party without a place does not call."""
    group = access.get_group_or_404(group_id, current_user, manage=True)
    if not EmptyForm().validate_on_submit():
        return group_page(group, 400)
    places, bad = [], []
    for party in group.agreement.parties:
        typed = request.form.get(f"place-{party.id}", "").strip()
        if not typed:
            continue
        if not typed.isdigit() or int(typed) < 1:
            bad.append(party.organisation.name)
        else:
            places.append((int(typed), party.position, party.organisation_id))
    if bad:
        flash(_("Skriv platsen i turordningen som ett heltal från 1: %(names)s.", names=", ".join(bad)), "error")
        return group_page(group, 400)
    groups.set_conveners(group, [org_id for _place, _position, org_id in sorted(places)])
    flash(_("Turordningen är sparad."), "success")
    return redirect(url_for("agreements.group", group_id=group.id) + "#turordning")


# --- the action plan ---------------------------------------------------------------------------------------

@bp.route("/<int:agreement_id>/atgarder/<int:measure_id>", methods=["POST"])
def update_measure(agreement_id, measure_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    measure = access.get_child_or_404(Measure, measure_id, agreement)
    form = MeasureForm(prefix="measure")
    year = request.args.get("ar", type=int)
    return run_and_redirect(
        lambda: actionplan.set_measure(measure, form.status.data, form.responsible.data, form.due_on.data),
        _("Åtgärden är sparad."),
        url_for("agreements.actionplan_page", agreement_id=agreement.id, ar=year) + f"#atgard-{measure.id}",
        form=form, invalid=_flash_each_field)


def _flash_each_field(form):
    """A refused measure form: one line a field, at the top of the action plan (the form sits in a table)."""
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")


def _cell_url(agreement, principle, level, year):
    return url_for("agreements.cell", agreement_id=agreement.id, principle_id=principle.id, level_id=level.id,
                   ar=year)


@bp.route("/<int:agreement_id>/indikatorer/<int:indicator_id>/<int:year>", methods=["POST"])
def set_indicator_value(agreement_id, indicator_id, year):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    indicator = access.get_child_or_404(Indicator, indicator_id, agreement)
    form = IndicatorValueForm(prefix="value")
    if not form.validate_on_submit():
        return _value_refused(agreement, indicator, year, _("Sidan var för gammal. Skicka igen."))
    value, met = None, None
    if indicator.kind == IndicatorKind.YES_NO:
        met = {"1": True, "0": False}.get(form.met.data)
    else:
        text = (form.value.data or "").strip().replace(" ", "").replace(",", ".")
        if text:
            try:
                value = float(text)
            except ValueError:
                return _value_refused(agreement, indicator, year, _("Skriv värdet som ett tal, till exempel 12 "
                                                                    "eller 0,5."))
    try:
        actionplan.set_indicator_value(indicator, year, value=value, met=met, note=form.note.data)
    except AgreementError as exc:
        return _value_refused(agreement, indicator, year, str(exc.message))
    flash(_("Indikatorns värde för %(year)s är sparat.", year=year), "success")
    return redirect(_cell_url(agreement, indicator.principle, indicator.level, year))


def _value_refused(agreement, indicator, year, message):
    return cell_page(agreement, indicator.principle, indicator.level, 400, year=year,
                     value_errors={indicator.id: {"message": message, "value": request.form.get("value-value", ""),
                                                  "note": request.form.get("value-note", "")}})


@bp.route("/<int:agreement_id>/handlingsplan/<int:principle_id>/<int:level_id>/underlag", methods=["POST"])
def add_evidence(agreement_id, principle_id, level_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    principle = access.get_principle_or_404(agreement, principle_id)
    level = access.get_child_or_404(ParticipationLevel, level_id, agreement)
    year = request.args.get("ar", type=int)
    form = EvidenceForm(prefix="evidence")

    def page():
        return cell_page(agreement, principle, level, 400, evidence_form=form)

    if not year:  # the cell page's form always names its year
        return page()
    return run_and_redirect(lambda: actionplan.add_evidence_from_candidate(principle, level, year,
                                                                           form.candidate.data),
                            _("Underlaget är kopplat."), _cell_url(agreement, principle, level, year),
                            form=form, again=page)


@bp.route("/<int:agreement_id>/underlag/<int:evidence_id>/ta-bort", methods=["POST"])
def remove_evidence(agreement_id, evidence_id):
    agreement = access.get_agreement_or_404(agreement_id, current_user, manage=True)
    row = access.get_child_or_404(Evidence, evidence_id, agreement)
    return run_and_redirect(lambda: actionplan.remove_evidence(row), _("Underlaget är borttaget."),
                            _cell_url(agreement, row.principle, row.level, row.year))


