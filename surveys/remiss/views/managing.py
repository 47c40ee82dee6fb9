"""The drafting group's pages: the remiss list, creating and editing, sections, attachments, invited bodies."""
from urllib.parse import urlencode

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from core.access import role_required
from core.extensions import login_manager
from core.forms import EmptyForm
from core.models import Role
from core.timeutil import local_to_utc, utc_to_local_naive
from core.views_util import run_and_redirect
from surveys.remiss import access, answering, claiming, compilation, managing, registering
from surveys.remiss.forms import (
    AttachmentForm,
    BodyEmailForm,
    BodyListForm,
    ExtensionForm,
    ImportForm,
    InviteForm,
    OrgFilterForm,
    RemissForm,
    SectionForm,
)
from surveys.remiss.models import RemissError
from surveys.remiss.views import bp
from surveys.remiss.views.common import flash_error, render_markdown


@bp.route("/")
def index():
    """Open to everyone: the remisses whose answers are published; and, logged in, those to answer or draft."""
    published = compilation.published_remisses()
    open_now = registering.open_remisses()
    if not current_user.is_authenticated:
        return render_template("surveys/remiss/index.html", drafting=[], answering=[], published=published,
                               open_now=open_now, can_create=False)
    drafting, to_answer = managing.remisses_for(current_user)
    shown = {r.id for r in drafting} | {r.id for r, _o in to_answer}
    published = [(r, n) for r, n in published if r.id not in shown]
    open_now = [r for r in open_now if r.id not in shown]
    return render_template("surveys/remiss/index.html", drafting=drafting, answering=to_answer,
                           published=published, open_now=open_now, can_create=access.can_create(current_user))


def _fill_form_choices(form):
    form.drafters.choices = [(u.id, u.display_name) for u in managing.drafter_candidates()]


def _form_fields(form):
    return {
        "title": form.title.data.strip(),
        "diarienummer": (form.diarienummer.data or "").strip(),
        "description": form.description.data or "",
        "opens_at": local_to_utc(form.opens_at.data),
        "deadline": local_to_utc(form.deadline.data),
        "allow_uninvited": form.allow_uninvited.data,
        "publish_at_deadline": form.publish_at_deadline.data,
        "reminder_days_before": form.reminder_days_before.data,
    }


def _chosen_drafters(form):
    return managing.users_by_id(form.drafters.data or [])


@bp.route("/ny", methods=["GET", "POST"])
@role_required(Role.SKRIVARGRUPP)
def create():
    form = RemissForm()
    _fill_form_choices(form)
    if request.method == "GET":
        form.drafters.data = [current_user.id]
    return run_and_redirect(lambda: managing.create_remiss(current_user, _chosen_drafters(form), **_form_fields(form)),
                            _("Remissen är skapad. Lägg nu till underlaget."),
                            lambda remiss: url_for("remiss.sections", remiss_id=remiss.id), form=form,
                            again=lambda: render_template("surveys/remiss/form.html", form=form, remiss=None))


@bp.route("/<int:remiss_id>/redigera", methods=["GET", "POST"])
@login_required
def edit(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    form = RemissForm(obj=remiss)
    _fill_form_choices(form)
    if request.method == "GET":
        form.opens_at.data = utc_to_local_naive(remiss.opens_at)
        form.deadline.data = utc_to_local_naive(remiss.deadline)
        form.drafters.data = [u.id for u in remiss.drafters]
    return run_and_redirect(
        lambda: managing.update_remiss(remiss, _chosen_drafters(form) or [current_user], **_form_fields(form)),
        _("Ändringarna är sparade."), url_for("remiss.show", remiss_id=remiss.id), form=form,
        again=lambda: render_template("surveys/remiss/form.html", form=form, remiss=remiss))


@bp.route("/<int:remiss_id>")
def show(remiss_id):
    public = access.public_page_instead(remiss_id, current_user)
    if public is not None:
        return redirect(url_for("remiss.public", remiss_id=public.id))
    open_remiss = access.open_page_instead(remiss_id, current_user)
    if open_remiss is not None:
        return redirect(url_for("remiss.open_page", remiss_id=open_remiss.id))
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    remiss = access.get_remiss_or_404(remiss_id, current_user)
    return render_template("surveys/remiss/show.html", remiss=remiss,
                           my_orgs=answering.my_organisations(remiss, current_user),
                           is_drafter=remiss.is_drafter(current_user), render_markdown=render_markdown)


@bp.route("/<int:remiss_id>/status/<action>", methods=["POST"])
@login_required
def change_status(remiss_id, action):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    if not EmptyForm().validate_on_submit():
        abort(400)

    def changed(sent):
        if action != "open":
            return _("Remissens status är nu ”%(status)s”.", status=remiss.status_label)
        flash(ngettext("Remissen är öppen. %(num)d inbjudan skickades.",
                       "Remissen är öppen. %(num)d inbjudningar skickades.", sent), "success")
        _flash_without_address(managing.unreachable_bodies(remiss))
        return None

    return run_and_redirect(lambda: managing.change_status(remiss, action), changed,
                            url_for("remiss.show", remiss_id=remiss.id))


@bp.route("/<int:remiss_id>/publicera", methods=["POST"])
@login_required
def publish(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("undo"):
        action, done = managing.unpublish, _("Svaren är inte längre publicerade.")
    else:
        action, done = managing.publish, _("Svaren är publicerade på remissens offentliga sida.")
    return run_and_redirect(lambda: action(remiss), done, url_for("remiss.show", remiss_id=remiss.id))


# --- sections -----------------------------------------------------------------

@bp.route("/<int:remiss_id>/underlag", methods=["GET", "POST"])
@login_required
def sections(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    form = SectionForm(prefix="new")
    return run_and_redirect(
        lambda: managing.add_section(remiss, form.heading.data, form.text.data), _("Avsnittet är tillagt."),
        url_for("remiss.sections", remiss_id=remiss.id) + "#new-heading", form=form,
        again=lambda: render_template("surveys/remiss/sections.html", remiss=remiss, form=form,
                                      import_form=ImportForm(prefix="imp"), attachment_form=AttachmentForm(prefix="att"),
                                      render_markdown=render_markdown))


@bp.route("/<int:remiss_id>/underlag/import", methods=["POST"])
@login_required
def import_sections(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    form = ImportForm(prefix="imp")
    return run_and_redirect(lambda: managing.import_upload(remiss, form.file.data, replace=form.replace.data),
                            lambda n: _("%(n)s avsnitt importerades.", n=n),
                            url_for("remiss.sections", remiss_id=remiss.id),
                            form=form, invalid=_("Sidan var för gammal. Försök igen."))


@bp.route("/<int:remiss_id>/underlag/<int:section_id>", methods=["GET", "POST"])
@login_required
def edit_section(remiss_id, section_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    section = access.get_section_or_404(remiss, section_id)
    form = SectionForm(obj=section)
    return run_and_redirect(
        lambda: managing.update_section(section, form.heading.data, form.text.data), _("Avsnittet är sparat."),
        url_for("remiss.sections", remiss_id=remiss.id) + f"#section-{section.number}", form=form,
        again=lambda: render_template("surveys/remiss/section_form.html", remiss=remiss, section=section, form=form))


@bp.route("/<int:remiss_id>/underlag/<int:section_id>/ta-bort", methods=["POST"])
@login_required
def delete_section(remiss_id, section_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    section = access.get_section_or_404(remiss, section_id)
    return run_and_redirect(lambda: managing.delete_section(section), _("Avsnittet är borttaget."),
                            url_for("remiss.sections", remiss_id=remiss.id))


@bp.route("/<int:remiss_id>/bilagor", methods=["POST"])
@login_required
def upload_attachment(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    form = AttachmentForm(prefix="att")
    return run_and_redirect(lambda: managing.add_attachment(remiss, form.file.data, current_user),
                            _("Bilagan är uppladdad."), url_for("remiss.sections", remiss_id=remiss.id), form=form)


@bp.route("/<int:remiss_id>/bilagor/<int:attachment_id>/ta-bort", methods=["POST"])
@login_required
def delete_attachment(remiss_id, attachment_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    att = access.get_attachment_or_404(remiss.id, attachment_id, current_user)
    if att.answer_id is not None:
        abort(404)
    return run_and_redirect(lambda: managing.delete_attachment(att), _("Bilagan är borttagen."),
                            url_for("remiss.sections", remiss_id=remiss.id))


# --- invited bodies -----------------------------------------------------------

def _flash_without_address(bodies):
    if bodies:
        flash(_("Saknar e-postadress: %(names)s. Lägg till en adress i listan över remissinstanser eller i "
                "organisationsregistret, eller skapa en länk att skicka själv.",
                names=", ".join(b.display_name for b in bodies)), "warning")


def _flash_invited(remiss, result):
    added, mailed = len(result.added), len(result.mailed)
    if not added:
        message = _("Inga nya remissinstanser lades till: de valda är redan inbjudna.")
    elif remiss.is_draft:
        message = ngettext("%(num)d remissinstans lades till. Inbjudan skickas när remissen öppnas.",
                           "%(num)d remissinstanser lades till. Inbjudningarna skickas när remissen öppnas.", added)
    elif not remiss.is_open:
        message = ngettext("%(num)d remissinstans lades till.", "%(num)d remissinstanser lades till.", added)
    elif mailed == added:
        message = ngettext("%(num)d remissinstans lades till och fick en inbjudan med e-post.",
                           "%(num)d remissinstanser lades till och fick en inbjudan med e-post.", added)
    elif mailed == 0:
        message = ngettext("%(num)d remissinstans lades till, men ingen inbjudan kunde skickas med e-post.",
                           "%(num)d remissinstanser lades till, men ingen inbjudan kunde skickas med e-post.", added)
    else:
        message = _("%(added)d remissinstanser lades till; %(mailed)d av dem fick en inbjudan med e-post.",
                    added=added, mailed=mailed)
    flash(message, "success")
    _flash_without_address(result.without_address)


def _invite_choices(remiss, form):
    """The filter form and the organisations that may still be invited (the form's choices)."""
    filters = OrgFilterForm(request.args)
    found = managing.filter_organisations(filters.legal_form.data, filters.sub_region.data, filters.q.data)
    already = managing.invited_organisation_ids(remiss)
    candidates = [o for o in found if o.id not in already]
    form.organisations.choices = [(o.id, o.name) for o in candidates]
    return filters, candidates, len(found) >= managing.CANDIDATE_LIMIT


# The bodies list's search, filter and page (BodyListForm's fields and "sida"), and the invitation form's filter.
LIST_ARGS = ("sok", "visa", "sida")
CANDIDATE_ARGS = ("legal_form", "sub_region", "q")


def _args(names):
    return {k: v for k in names if (v := request.args.get(k))}


def _bodies_url(remiss, body=None):
    """Back to the bodies list as the row's form was posted from: every row form's URL carries the list's
    search, filter and page, so the answer to a POST shows the same page (and the row)."""
    return url_for("remiss.bodies", remiss_id=remiss.id, **_args(LIST_ARGS)) + (f"#body-{body.id}" if body else "")


def _row_sentences():
    """The sentences of a row that name the body, translated once for the page (|format fills in each row);
    100 rows made 400 translations."""
    return {"email_for": _("E-postadress för %(name)s"), "until_for": _("Förlängt svarsdatum för %(name)s"),
            "resend_q": _("Skicka en ny inbjudan till %(email)s? Den tidigare länken slutar fungera."),
            "link_q": _("Skapa en ny personlig länk för %(name)s? Den tidigare länken slutar fungera.")}


def _render_bodies(remiss, form=None, status=200, email_edit=None):
    """The bodies page; email_edit = {"id", "value", "error"} keeps one row's typed address beside its error."""
    if form is None:
        form = InviteForm(formdata=None)
    filters, candidates, truncated = _invite_choices(remiss, form)
    listing = BodyListForm(request.args)
    result = compilation.body_page(remiss, listing.sok.data, listing.visa.data, request.args.get("sida", 1, type=int))
    list_args, candidate_args = _args(LIST_ARGS), _args(CANDIDATE_ARGS)
    list_args.pop("sida", None)
    if result.page > 1:  # the page shown: a page past the end shows the last
        list_args["sida"] = result.page
    return render_template("surveys/remiss/bodies.html", remiss=remiss, filters=filters, form=form,
                           candidates=candidates, listing=listing, result=result, body_list=result.items,
                           list_args=list_args, list_query=f"?{urlencode(list_args)}" if list_args else "",
                           candidate_args=candidate_args, page_args={**candidate_args, **list_args},
                           filtered=bool(listing.sok.data or listing.visa.data),
                           addresses={b.id: managing.mail_address(b) for b in result.items}, said=_row_sentences(),
                           status_labels=compilation.status_labels(),
                           extension_form=ExtensionForm, email_edit=email_edit or {}, truncated=truncated), status


@bp.route("/<int:remiss_id>/instanser", methods=["GET", "POST"])
@login_required
def bodies(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    form = InviteForm()
    if request.method == "POST":
        _invite_choices(remiss, form)

    def invite():
        emails = [e for e in (form.emails.data or "").replace(",", "\n").splitlines() if e.strip()]
        return managing.invite(remiss, managing.organisations_by_id(form.organisations.data or []), emails)

    return run_and_redirect(invite, lambda result: _flash_invited(remiss, result),
                            url_for("remiss.bodies", remiss_id=remiss.id, **request.args), form=form,
                            again=lambda: _render_bodies(remiss, form))


@bp.route("/<int:remiss_id>/instanser/<int:body_id>/forlangning", methods=["POST"])
@login_required
def extend(remiss_id, body_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    body = access.get_body_or_404(remiss, body_id)
    form = ExtensionForm()
    return run_and_redirect(lambda: managing.grant_extension(body, local_to_utc(form.until.data)),
                            _("Svarsdatum för %(name)s är ändrat.", name=body.display_name),
                            _bodies_url(remiss, body), form=form,
                            invalid=_("Skriv datum och tid, till exempel 2025-03-31 16:00."))


@bp.route("/<int:remiss_id>/instanser/<int:body_id>/ta-bort", methods=["POST"])
@login_required
def remove_body(remiss_id, body_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    body = access.get_body_or_404(remiss, body_id)
    return run_and_redirect(lambda: managing.remove_body(body), _("Remissinstansen är borttagen."),
                            _bodies_url(remiss))


@bp.route("/<int:remiss_id>/instanser/<int:body_id>/bekrafta", methods=["POST"])
@login_required
def confirm_claim(remiss_id, body_id):
    """The drafting group confirms that whoever holds an email-only link speaks for the organisation they named."""
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    body = access.get_body_or_404(remiss, body_id)
    return run_and_redirect(lambda: claiming.confirm_pending(body),
                            lambda org: _("Kontot svarar nu för %(name)s.", name=org.name),
                            _bodies_url(remiss, body))


@bp.route("/<int:remiss_id>/instanser/<int:body_id>/avvisa", methods=["POST"])
@login_required
def reject_claim(remiss_id, body_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    body = access.get_body_or_404(remiss, body_id)
    return run_and_redirect(lambda: claiming.reject_pending(body), _("Begäran är avvisad."),
                            _bodies_url(remiss, body))


@bp.route("/<int:remiss_id>/instanser/<int:body_id>/epost", methods=["POST"])
@login_required
def set_body_email(remiss_id, body_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    body = access.get_body_or_404(remiss, body_id)
    form = BodyEmailForm()
    error = None
    if not form.validate_on_submit():
        # An expired CSRF key never gets here: CSRFProtect answers it first (core/errors.py keeps the text).
        error = " ".join(str(e) for e in form.email.errors)
    else:
        try:
            managing.set_body_email(body, form.email.data)
        except RemissError as exc:
            error = str(exc)
    if error:
        return _render_bodies(remiss, status=400,
                              email_edit={"id": body.id, "value": form.email.data or "", "error": error})
    if remiss.is_open and not body.is_settled:
        flash(_("E-postadressen för %(name)s är sparad. Tryck på ”Skicka inbjudan igen” så får de sin länk.",
                name=body.display_name), "success")
    else:
        flash(_("E-postadressen för %(name)s är sparad.", name=body.display_name), "success")
    return redirect(_bodies_url(remiss, body))


@bp.route("/<int:remiss_id>/instanser/<int:body_id>/skicka-igen", methods=["POST"])
@login_required
def resend_invitation(remiss_id, body_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    body = access.get_body_or_404(remiss, body_id)
    return run_and_redirect(
        lambda: managing.resend_invitation(body),
        lambda to: _("En ny inbjudan skickades till %(email)s. Den tidigare länken fungerar inte längre.", email=to),
        _bodies_url(remiss, body))


@bp.route("/<int:remiss_id>/instanser/<int:body_id>/lank", methods=["POST"])
@login_required
def personal_link(remiss_id, body_id):
    """A fresh personal link, shown this once (only its hash is kept) for the drafting group to pass on."""
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    body = access.get_body_or_404(remiss, body_id)
    if not EmptyForm().validate_on_submit():
        flash(_("Sidan var för gammal. Försök igen."), "error")
        return redirect(_bodies_url(remiss, body))
    try:
        link = managing.create_personal_link(body)
    except RemissError as exc:
        flash_error(exc)
        return redirect(_bodies_url(remiss, body))
    response = make_response(render_template("surveys/remiss/body_link.html", remiss=remiss, body=body, link=link,
                                             back=_bodies_url(remiss, body),
                                             address=managing.mail_address(body),
                                             visitor=managing.link_offers(body)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:remiss_id>/paminnelser", methods=["POST"])
@login_required
def remind(remiss_id):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)

    def reminded(n):
        flash(ngettext("%(num)d påminnelse skickades.", "%(num)d påminnelser skickades.", n), "success")
        _flash_without_address(managing.unreachable_bodies(remiss))

    return run_and_redirect(lambda: managing.send_reminders(remiss), reminded, _bodies_url(remiss))
