"""Organisation registry pages: list, detail, create, edit, review, merge, import and export."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from core.access import role_required
from core.exports import csv_response, xlsx_response
from core.extensions import db
from core.forms import EmptyForm
from core.models import Organisation, Role
from core.organisations import importing, services
from core.organisations.forms import ImportForm, OrganisationForm, SearchForm
from core.timeutil import utc_to_local

bp = Blueprint("organisations", __name__, url_prefix="/organisationer")

VIEW_ROLES = (Role.ADMIN, Role.MODERATOR, Role.SKRIVARGRUPP)
SESSION_KEY = "org_import"
SEARCH_KEYS = ("q", "legal_form", "sub_region", "review")
FIELD_LABELS = {
    "name": _l("Namn"),
    "org_number": _l("Organisationsnummer"),
    "legal_form": _l("Juridisk form"),
    "sub_region": _l("Delregion eller län"),
    "contact_email": _l("E-post för kontakt"),
    "website": _l("Webbplats"),
    "notes": _l("Anteckningar"),
}


def get_organisation_or_404(org_id, for_user, manage=False):
    """The organisation, if for_user may see it (manage=True: change it); 404/403 otherwise."""
    if not for_user.is_authenticated or not for_user.has_role(*VIEW_ROLES):
        abort(403)
    if manage and not for_user.is_admin:
        abort(403)
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    return org


def _org_url(org):
    return url_for("organisations.detail", org_id=org.id)


def _search_form():
    form = SearchForm(request.args)
    form.validate_filters()
    return form


@bp.route("/")
@role_required(*VIEW_ROLES)
def index():
    form = _search_form()
    page = request.args.get("sida", 1, type=int)
    result = services.paginate(services.search_statement(**form.filters()), page=page)
    counts = services.member_counts([o.id for o in result.items])
    # Only the search's own keys go into links: anything else in the URL (e.g. "kind") would clash.
    args = {k: v for k, v in request.args.items() if k in SEARCH_KEYS and v}
    return render_template("core/organisations/index.html", form=form, result=result, counts=counts, args=args,
                           filtered=bool(args))


@bp.route("/export.<any(csv, xlsx):kind>")
@role_required(*VIEW_ROLES)
def export(kind):
    form = _search_form()
    orgs = db.session.scalars(services.search_statement(**form.filters())).all()
    header, rows = services.export_table(orgs)
    stamp = utc_to_local(services.utcnow()).strftime("%Y-%m-%d")
    filename = f"organisationer-{stamp}.{kind}"
    if kind == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, [(_("Organisationer"), header, rows)])


def _save(form, org=None):
    """Validate and save a posted form; returns the organisation, or None with errors beside the fields.

    The service checks every field even when a WTForms validator already failed, so a person sees all
    that is wrong at once, not one error per attempt.
    """
    if not form.is_submitted():
        return None
    form_ok = form.validate()
    if form.csrf_token.errors:
        return None
    clean, errors = services.clean_organisation_data(form.data_dict(), current=org)
    errors = {key: message for key, message in errors.items() if not getattr(form, key).errors}
    if errors:
        form.add_errors(errors, link_for=_org_url)
    if not form_ok or errors:
        return None
    try:
        if org is None:
            return services.create_organisation(clean)
        return services.update_organisation(org, clean)
    except IntegrityError:
        # Another administrator saved the same number a moment ago.
        db.session.rollback()
        _, errors = services.clean_organisation_data(form.data_dict(), current=org)
        form.add_errors(errors or {"org_number": services.MSG_FORMAT}, link_for=_org_url)
        return None


@bp.route("/ny", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = OrganisationForm()
    org = _save(form)
    if org is not None:
        flash(_("Organisationen %(name)s är sparad.", name=org.name), "success")
        return redirect(_org_url(org))
    return render_template("core/organisations/form.html", form=form, organisation=None)


@bp.route("/<int:org_id>")
@role_required(*VIEW_ROLES)
def detail(org_id):
    org = get_organisation_or_404(org_id, current_user)
    members = sorted(org.memberships, key=lambda m: m.user.display_name.lower())
    return render_template("core/organisations/detail.html", org=org, members=members)


@bp.route("/<int:org_id>/redigera", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(org_id):
    org = get_organisation_or_404(org_id, current_user, manage=True)
    form = OrganisationForm(obj=org)
    if request.method == "GET":
        form.sub_region.data = org.sub_region or ""
    if _save(form, org) is not None:
        flash(_("Ändringarna är sparade."), "success")
        return redirect(_org_url(org))
    return render_template("core/organisations/form.html", form=form, organisation=org)


@bp.route("/<int:org_id>/granskad", methods=["POST"])
@role_required(Role.ADMIN)
def mark_reviewed(org_id):
    org = get_organisation_or_404(org_id, current_user, manage=True)
    if EmptyForm().validate_on_submit():
        services.mark_reviewed(org)
        flash(_("%(name)s är markerad som granskad.", name=org.name), "success")
    return redirect(_org_url(org))


# --- merge ------------------------------------------------------------------------------------

@bp.route("/<int:org_id>/sammanfoga")
@role_required(Role.ADMIN)
def merge_choose(org_id):
    org = get_organisation_or_404(org_id, current_user, manage=True)
    q = (request.args.get("q") or "").strip()
    if q:
        stmt = services.search_statement(q=q).where(Organisation.id != org.id).limit(30)
        candidates = db.session.scalars(stmt).all()
    else:
        candidates = services.possible_duplicates(org)
    return render_template("core/organisations/merge_choose.html", org=org, q=q, candidates=candidates)


@bp.route("/sammanfoga/<int:keep_id>/<int:drop_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def merge(keep_id, drop_id):
    keep = get_organisation_or_404(keep_id, current_user, manage=True)
    drop = get_organisation_or_404(drop_id, current_user, manage=True)
    if keep.id == drop.id:
        abort(404)
    plan = services.plan_merge(keep, drop)
    form = EmptyForm()
    if form.validate_on_submit():
        drop_name = drop.name
        try:
            services.merge_organisations(keep, drop)
        except Exception:  # noqa: BLE001 - a blueprint's hook failed; the merge was rolled back whole
            current_app.logger.exception("merging organisation %s into %s failed", drop_id, keep_id)
            flash(_("Sammanfogningen kunde inte göras, så inget har ändrats. Försök igen eller kontakta "
                    "den som driftar Samråd."), "error")
            return redirect(url_for("organisations.merge", keep_id=keep_id, drop_id=drop_id))
        flash(_("%(drop)s är sammanfogad med %(keep)s.", drop=drop_name, keep=keep.name), "success")
        return redirect(url_for("organisations.detail", org_id=keep_id))
    return render_template("core/organisations/merge.html", plan=plan, labels=FIELD_LABELS,
                           display=services.field_display)


# --- import -----------------------------------------------------------------------------------

def _max_upload():
    return current_app.config.get("ORG_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def _size_text(n):
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} kB"


def _pending():
    pending = session.get(SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("user") != current_user.id:
        return None
    return pending


def _forget_pending():
    pending = session.pop(SESSION_KEY, None)
    if isinstance(pending, dict):
        importing.delete_upload(pending.get("id"), pending.get("kind"))


@bp.route("/importera", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_upload():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(_max_upload() + 1)
        if len(data) > _max_upload():
            form.file.errors.append(_("Filen är för stor. Den får vara högst %(size)s.",
                                      size=_size_text(_max_upload())))
        else:
            try:
                report = importing.report_for_file(upload.filename, data)
            except importing.ImportFileError as exc:
                form.file.errors.append(exc.message)
            else:
                _forget_pending()
                upload_id = importing.store_upload(data, report.kind)
                session[SESSION_KEY] = {"id": upload_id, "kind": report.kind, "name": upload.filename[:200],
                                        "user": current_user.id}
                return render_template("core/organisations/import_report.html", report=report, preview=True,
                                       filename=upload.filename, upload_id=upload_id,
                                       labels=FIELD_LABELS, display=services.field_display)
    return render_template("core/organisations/import.html", form=form, max_size=_size_text(_max_upload()))


@bp.route("/importera/bekrafta", methods=["POST"])
@role_required(Role.ADMIN)
def import_confirm():
    form = EmptyForm()
    pending = _pending()
    if not form.validate_on_submit() or pending is None or request.form.get("upload_id") != pending.get("id"):
        flash(_("Förhandsvisningen har gått ut. Läs in filen igen."), "warning")
        return redirect(url_for("organisations.import_upload"))
    data = importing.load_upload(pending["id"], pending["kind"])
    if data is None:
        session.pop(SESSION_KEY, None)
        flash(_("Förhandsvisningen har gått ut. Läs in filen igen."), "warning")
        return redirect(url_for("organisations.import_upload"))
    filename = pending.get("name") or f"fil.{pending['kind']}"
    try:
        report = importing.import_file(filename, data)
    except importing.ImportFileError as exc:
        _forget_pending()
        flash(str(exc.message), "error")
        return redirect(url_for("organisations.import_upload"))
    except IntegrityError:
        # Someone saved a clashing organisation between our check and the write: nothing was stored.
        flash(_("Någon annan ändrade registret samtidigt, så inget sparades. Läs in filen igen."), "error")
        _forget_pending()
        return redirect(url_for("organisations.import_upload"))
    _forget_pending()
    return render_template("core/organisations/import_report.html", report=report, preview=False,
                           filename=filename, labels=FIELD_LABELS, display=services.field_display)


@bp.route("/importera/avbryt", methods=["POST"])
@role_required(Role.ADMIN)
def import_cancel():
    if EmptyForm().validate_on_submit():
        _forget_pending()
        flash(_("Inläsningen är avbruten. Inget har ändrats."), "info")
    return redirect(url_for("organisations.index"))
