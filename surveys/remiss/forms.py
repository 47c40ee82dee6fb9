"""Forms of the remiss pages (the answer editor's per-section fields are read from the request directly)."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from core.auth.forms import SetPasswordForm
from core.forms import REQUIRED, Form, MultiCheckboxField
from core.models import LEGAL_FORMS, SUB_REGIONS
from core.organisations.forms import legal_form_choices, sub_region_choices
from surveys.remiss import claiming
from surveys.remiss.compilation import NOT_ANSWERED, WITHOUT_ADDRESS
from surveys.remiss.models import HANDLINGS, BodyStatus

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATE_MESSAGE = _l("Skriv datum och tid, till exempel 2025-03-31 16:00.")


class RemissForm(Form):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=300)])
    diarienummer = StringField(_l("Diarienummer"), validators=[Optional(), Length(max=60)],
                               description=_l("Till exempel RS 767-2011."))
    description = TextAreaField(_l("Beskrivning"), render_kw={"rows": 5},
                                description=_l("Vad remissen gäller och vad ni vill ha synpunkter på."))
    opens_at = DateTimeLocalField(_l("Öppnar"), format=DATETIME_FORMAT,
                                  validators=[DataRequired(DATE_MESSAGE)])
    deadline = DateTimeLocalField(_l("Svarsdatum"), format=DATETIME_FORMAT,
                                  validators=[DataRequired(DATE_MESSAGE)],
                                  description=_l("Sista dag och tid för svar (svensk tid)."))
    drafters = MultiCheckboxField(_l("Skrivargrupp"), coerce=int)
    allow_uninvited = BooleanField(_l("Organisationer som inte är inbjudna får också svara"))
    publish_at_deadline = BooleanField(_l("Publicera svaren automatiskt vid svarsdatum"))
    reminder_days_before = IntegerField(
        _l("Automatisk påminnelse (dagar före svarsdatum)"), validators=[Optional(), NumberRange(1, 60)],
        description=_l("Lämna tomt för inga automatiska påminnelser."))

    def validate_deadline(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Svarsdatum måste vara efter öppningsdatum."))


class SectionForm(Form):
    heading = StringField(_l("Rubrik"), validators=[DataRequired(_l("Avsnittet måste ha en rubrik.")),
                                                    Length(max=300)])
    text = TextAreaField(_l("Text"), render_kw={"rows": 8},
                         description=_l("Markdown går bra: tom rad mellan stycken, * för punktlista."))


class ImportForm(Form):
    file = FileField(_l("Fil med underlaget (.md, .txt eller .docx)"))
    replace = BooleanField(_l("Ersätt befintliga avsnitt"), default=True)


class AttachmentForm(Form):
    file = FileField(_l("Fil: PDF, .docx eller .odt (högst 10 MB)"))


class InviteForm(Form):
    organisations = MultiCheckboxField(_l("Organisationer"), coerce=int)
    emails = TextAreaField(_l("Eller bjud in med e-post"), render_kw={"rows": 3},
                           description=_l("En adress per rad."))


class BodyEmailForm(Form):
    """The address one invited body's invitation and reminders go to (checked by managing.set_body_email)."""

    email = EmailField(_l("E-postadress"), validators=[Optional(), Length(max=254)])


class OrgFilterForm(Form):
    class Meta:
        csrf = False

    legal_form = SelectField(_l("Juridisk form"), choices=[("", _l("Alla"))] + list(LEGAL_FORMS.items()))
    sub_region = SelectField(_l("Delregion"), choices=[("", _l("Alla"))] + list(SUB_REGIONS.items()))
    q = StringField(_l("Namn innehåller"))


class BodyListForm(Form):
    """Search and filter of the bodies list (a GET form: its fields are the list's URL parameters)."""

    class Meta:
        csrf = False

    sok = StringField(_l("Sök på namn eller e-postadress"))
    visa = SelectField(_l("Visa"), choices=[("", _l("Alla")), (NOT_ANSWERED, _l("Har inte svarat"))]
                       + list(BodyStatus.LABELS.items()) + [(WITHOUT_ADDRESS, _l("Saknar e-postadress"))])


class ExtensionForm(Form):
    until = DateTimeLocalField(_l("Förlängt svarsdatum"), format=DATETIME_FORMAT, validators=[Optional()])


class TagForm(Form):
    tag = StringField(_l("Tema"), validators=[DataRequired(REQUIRED), Length(max=100)],
                      render_kw={"list": "remiss-tag-options"})


class QuoteForm(Form):
    text = TextAreaField(_l("Citat"), validators=[DataRequired(REQUIRED)], render_kw={"rows": 3})


class HandlingForm(Form):
    handling = SelectField(_l("Hantering"), choices=[("", _l("Ej bestämt"))] + list(HANDLINGS.items()))
    reason = TextAreaField(_l("Motivering"), render_kw={"rows": 2})


class ClaimForm(SetPasswordForm):
    """The invitation page: which organisation answers (invited by email alone) and, without an account, a new one.

    Use claim_form(): it keeps only the fields the visitor's case needs.
    """

    organisation_id = SelectField(_l("Vilken organisation svarar du för?"), coerce=int, validate_choice=False)
    org_name = StringField(_l("Organisationens namn"), validators=[Length(max=300)])
    org_number = StringField(_l("Organisationsnummer"), description=_l("Om ni har ett: tio siffror, till exempel "
                                                                       "802473-5832."),
                             render_kw={"inputmode": "numeric", "autocomplete": "off"})
    legal_form = SelectField(_l("Juridisk form"), choices=legal_form_choices, default="forening",
                             validate_choice=False)
    sub_region = SelectField(_l("Delregion eller län"), choices=lambda: sub_region_choices(_l("Inte angiven")),
                             validate_choice=False)
    name = StringField(_l("Ditt namn"), validators=[DataRequired(REQUIRED), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    # Only when the invitation went to no address (a link the drafting group passed on by hand).
    email = EmailField(_l("Din e-postadress"), validators=[
        DataRequired(REQUIRED), Email(message=_l("Skriv en giltig e-postadress.")), Length(max=254)],
        render_kw={"autocomplete": "email"})

    ORGANISATION_FIELDS = ("org_name", "org_number", "legal_form", "sub_region")

    def organisation_data(self):
        return {key: getattr(self, key).data for key in self.ORGANISATION_FIELDS if key in self}


def claim_form(state, body, user):
    """The ClaimForm for one case of claiming.state(): signup asks for an account, choose for the organisation."""
    form = ClaimForm()
    keep = set()
    if state == claiming.SIGNUP:
        keep |= {"name", "password", "confirm"}
        if not claiming.invited_address(body):
            keep.add("email")
        form.password.label.text = _l("Välj ett lösenord")
        if body.organisation is None:
            keep |= set(ClaimForm.ORGANISATION_FIELDS)
    elif state == claiming.CHOOSE:
        keep |= set(ClaimForm.ORGANISATION_FIELDS)
        mine = sorted(user.organisations, key=lambda o: o.name.lower()) if user.is_authenticated else []
        if mine:
            keep.add("organisation_id")
            form.organisation_id.choices = [(o.id, o.name) for o in mine] + [(0, _l("En annan organisation"))]
    for field in [f.name for f in form if f.name != "csrf_token" and f.name not in keep]:
        delattr(form, field)
    if "org_name" in form and "organisation_id" not in form:
        form.org_name.flags.required = True  # the service asks for it; the label shows it
    return form


# --- draft versions (issue 12) ---

class VersionForm(Form):
    note = TextAreaField(_l("Vad är nytt i versionen?"), render_kw={"rows": 3}, validators=[Length(max=5000)])
    file = FileField(_l("Ny version som fil (valfritt): .docx, PDF eller .odt, högst 10 MB"),
                     description=_l("Rubrikerna i en .docx blir avsnitt. Utan fil kopieras den senaste texten så att "
                                    "ni kan redigera avsnitt för avsnitt."))


class TargetForm(HandlingForm):
    """A handling decision with the section of the new version it led to."""

    target = SelectField(_l("Ledde till ändring i avsnitt"), coerce=int, choices=[])


# --- open participation (issue 12) ---

class RegisterForm(ClaimForm):
    """An organisation that was not invited registers itself, with its first account, from an open remiss."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.organisation_id
        self.password.label.text = _l("Välj ett lösenord")
        self.org_name.validators = [DataRequired(REQUIRED), Length(max=300)]
        self.org_name.flags.required = True


class SummaryForm(Form):
    """A written summary without JavaScript (the page's script autosaves the same field)."""

    text = TextAreaField(_l("Sammanfattning"), render_kw={"rows": 8})
    version = IntegerField(validators=[Optional()])
