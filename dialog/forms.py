"""Forms for meetings, registration, check-in, minutes, tasks, signers, documents and series."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, InputRequired, Length, Optional, ValidationError

from core.agreements.groups import group_choices
from core.extensions import db
from core.forms import REQUIRED, Form, MultiCheckboxField
from core.models import LEGAL_FORMS, SUB_REGIONS, VG_SUB_REGIONS, Organisation
from core.timeutil import local_to_utc, utc_to_local_naive
from dialog.models import KINDS, LEVELS, MEETING_FIELDS, PRINCIPLES, MeetingSeries, MinutesSigner, TaskStatus

DT_FORMAT = "%Y-%m-%dT%H:%M"
BAD_DATETIME = _l("Skriv datum och tid, till exempel 2025-03-12 09:30.")
BAD_NUMBER = _l("Skriv antalet platser som en siffra.")


NO_ORGANISATION = _l("– Ingen organisation –")


def organisation_choices(include_review=False, blank=NO_ORGANISATION):
    query = sa.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if not include_review:
        query = query.where(Organisation.needs_review.is_(False))
    return [(0, blank)] + [(row.id, row.name) for row in db.session.execute(query)]


def _folded(text):
    return " ".join((text or "").split()).casefold()


class OrganisationPickerWidget:
    """A text box with a <datalist> of every organisation: phones and desktop browsers filter it as one types,
    without any JavaScript. When what was typed matches no name exactly, the server's matches follow as radio
    buttons of the same name (checked, one of them wins over the text), so it works where datalist does not."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        list_id = f"{field.id}-list"
        attrs = {"type": "text", "name": field.name, "value": field._value(), "list": list_id, "autocomplete": "off",
                 "enterkeyhint": "next", "class": "organisation-picker", **kwargs}
        html = [Markup("<input {}>").format(Markup(" ").join(
            Markup('{}="{}"').format(k.replace("_", "-"), v) for k, v in attrs.items() if v is not False))]
        html.append(Markup('<datalist id="{}">').format(list_id))
        html.extend(Markup('<option value="{}"></option>').format(name) for _id, name in field.choices)
        html.append(Markup("</datalist>"))
        if field.matches:
            html.append(Markup('<fieldset class="organisation-matches"><legend>{}</legend>').format(
                _l("Menar du någon av dessa?")))
            for number, (_id, name) in enumerate(field.matches):
                html.append(Markup('<label class="choice"><input type="radio" name="{}" value="{}" id="{}-m{}"> '
                                   "<span>{}</span></label>").format(field.name, name, field.id, number, name))
            html.append(Markup("</fieldset>"))
        return Markup("").join(html)


class OrganisationPickerField(StringField):
    """Pick an organisation by typing its name: `data` is its id (0 for none), as the select it replaces had.

    A long <select> of every organisation could not be searched and was unusable on a phone. The name typed
    is kept as typed; a name that is no organisation is refused with the closest names to pick from."""

    widget = OrganisationPickerWidget()
    MAX_MATCHES = 8

    def __init__(self, label=None, validators=None, include_review=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.include_review = include_review
        self.text = ""
        self.matches = []
        self._choices = None

    @property
    def choices(self):
        """[(id, name)] of the organisations one may pick, by name."""
        if self._choices is None:
            self._choices = organisation_choices(include_review=self.include_review)[1:]
        return self._choices

    def process_data(self, value):
        self.data = value or 0
        self.text = next((name for id_, name in self.choices if id_ == self.data), "") if self.data else ""

    def process_formdata(self, valuelist):
        # The text box comes first; a checked match (same name) comes after it and wins.
        picked = [v for v in valuelist if v and v.strip()]
        self.text = " ".join(picked[-1].split()) if picked else ""
        self.data = 0 if not self.text else self.find(self.text)

    def find(self, text):
        wanted = _folded(text)
        for id_, name in self.choices:
            if _folded(name) == wanted:
                return id_
        # One awaiting review is not offered, but its exact name still finds it (as the "new" field would).
        return db.session.scalar(sa.select(Organisation.id).where(
            sa.func.lower(Organisation.name) == " ".join(text.split()).lower()).limit(1))

    def search(self, text):
        """Names containing every word typed, those starting with it first."""
        words = _folded(text).split()
        found = [(id_, name) for id_, name in self.choices if all(w in _folded(name) for w in words)]
        found.sort(key=lambda row: (not _folded(row[1]).startswith(words[0]) if words else False, _folded(row[1])))
        return found[: self.MAX_MATCHES]

    def pre_validate(self, form):
        if self.data is None:
            self.matches = self.search(self.text)
            self.data = 0
            if self.matches:
                raise ValidationError(_l("Ingen organisation heter exakt ”%(name)s”. Välj en av dem nedan, "
                                         "eller skriv den i fältet för organisationer som inte finns i listan.",
                                         name=self.text))
            raise ValidationError(_l("Ingen organisation heter ”%(name)s”. Kontrollera stavningen, eller skriv "
                                     "den i fältet för organisationer som inte finns i listan.", name=self.text))

    def _value(self):
        if not self.text and self.data:  # set by a view after the form was made
            org = db.session.get(Organisation, self.data)
            self.text = org.name if org else ""
        return self.text


def series_choices():
    rows = db.session.execute(sa.select(MeetingSeries.id, MeetingSeries.title).order_by(MeetingSeries.title))
    return [(0, _l("– Ingen serie –"))] + [(row.id, row.title) for row in rows]


class SwedishDateTimeField(DateTimeLocalField):
    """datetime-local with a Swedish message for a value that is not a date and time."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(BAD_DATETIME)) from exc


class SwedishIntegerField(IntegerField):
    """A whole number with a Swedish message for anything else."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(BAD_NUMBER)) from exc


class MeetingForm(Form):
    title = StringField(_l("Rubrik"), validators=[DataRequired(message=REQUIRED), Length(max=300)])
    kind = SelectField(_l("Typ av möte"), choices=list(KINDS.items()))
    series_id = SelectField(_l("Serie"), coerce=int, default=0,
                            description=_l("Möten i samma serie följer upp varandras uppgifter."))
    group_id = SelectField(_l("Grupp enligt en överenskommelse"), coerce=int, default=0,
                           description=_l("Mötet räknas mot gruppens mål för antalet möten."))
    description = TextAreaField(_l("Beskrivning"))
    starts_at = SwedishDateTimeField(_l("Börjar"), format=DT_FORMAT, validators=[InputRequired(message=REQUIRED)],
                                     description=_l("Svensk tid."))
    ends_at = SwedishDateTimeField(_l("Slutar"), format=DT_FORMAT, validators=[InputRequired(message=REQUIRED)])
    place = StringField(_l("Plats (adress)"), validators=[Length(max=300)])
    online_url = URLField(_l("Länk för att delta på distans"), validators=[
        Optional(), URL(message=_l("Skriv en hel webbadress som börjar med https://.")), Length(max=500)])
    organiser_id = SelectField(_l("Arrangör"), coerce=int, default=0)
    moderator = StringField(_l("Moderator"), validators=[Length(max=200)])
    chair = StringField(_l("Ordförande"), validators=[Length(max=200)])
    panel = TextAreaField(_l("Talare och panel"), description=_l("En person per rad."))
    contact = TextAreaField(_l("Kontaktpersoner"))
    capacity = SwedishIntegerField(_l("Antal platser"), validators=[Optional()],
                            description=_l("Lämna tomt för obegränsat."))
    registration_deadline = SwedishDateTimeField(_l("Sista anmälningsdag"), format=DT_FORMAT,
                                                 validators=[Optional()])
    consent_text = TextAreaField(_l("Text om samtycke"), description=_l(
        "Visas i anmälan. Beskriv vad uppgifterna används till och hur länge de sparas."))
    principles = MultiCheckboxField(_l("Principer som mötet bidrar till"), choices=list(PRINCIPLES.items()))
    levels = MultiCheckboxField(_l("Nivåer av delaktighet"), choices=list(LEVELS.items()))
    what_to_bring = TextAreaField(_l("Ta med"), validators=[Length(max=2000)], description=_l(
        "Till exempel underlag att läsa före mötet eller legitimation. Står i påminnelsen och på mötets sida."))
    reminder_days_before = SwedishIntegerField(
        _l("Påminnelse, dagar före mötet"), validators=[Optional()],
        description=_l("De anmälda får en påminnelse så många dagar före mötet. Lämna tomt för ingen påminnelse."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.series_id.choices = series_choices()
        self.group_id.choices = [(0, _l("– Ingen grupp –"))] + group_choices()
        self.organiser_id.choices = organisation_choices(include_review=True, blank=_l("– Ingen arrangör –"))

    # Each field of MEETING_FIELDS converts the same way both ways, by its kind: times are typed in
    # Stockholm and stored in naive UTC; "0" in a select is "none"; one-line text is stripped.
    @classmethod
    def for_meeting(cls, meeting):
        """The form filled from a saved meeting."""
        form = cls(formdata=None)
        for name in MEETING_FIELDS:
            field, value = getattr(form, name), getattr(meeting, name)
            if isinstance(field, DateTimeLocalField):
                value = utc_to_local_naive(value)
            elif getattr(field, "coerce", None) is int:
                value = value or 0
            elif isinstance(field, MultiCheckboxField):
                value = list(value or [])
            field.data = value
        return form

    def cleaned(self):
        """The values for dialog.meetings.save_meeting, by MEETING_FIELDS."""
        data = {}
        for name in MEETING_FIELDS:
            field, value = getattr(self, name), getattr(self, name).data
            if isinstance(field, DateTimeLocalField):
                value = local_to_utc(value)
            elif getattr(field, "coerce", None) is int:
                value = value or None
            elif isinstance(field, MultiCheckboxField):
                value = list(value or [])
            elif isinstance(field, TextAreaField):
                value = value or ""
            elif isinstance(field, StringField):
                value = (value or "").strip()
            data[name] = value
        return data


class RegistrationForm(Form):
    name = StringField(_l("Namn"), validators=[DataRequired(message=REQUIRED), Length(max=200)])
    email = EmailField(_l("E-postadress"), validators=[
        DataRequired(message=REQUIRED), Email(message=_l("Skriv en giltig e-postadress.")), Length(max=254)])
    organisation_id = OrganisationPickerField(
        _l("Organisation"), description=_l("Börja skriva namnet och välj i listan. Finns den inte, skriv "
                                           "namnet i nästa fält."))
    new_organisation = StringField(_l("Organisation som inte finns i listan"), validators=[Length(max=300)],
                                   description=_l("Vi lägger till den efter granskning."))
    dietary_needs = TextAreaField(_l("Kost och allergier"), validators=[Length(max=1000)])
    accessibility_needs = TextAreaField(_l("Behov av tillgänglighet"), validators=[Length(max=1000)],
                                        description=_l("Till exempel hörslinga, tolk eller rullstolsplats."))
    consent = BooleanField(_l("Jag godkänner att mina uppgifter sparas för mötet"))

    def __init__(self, *args, require_consent=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_consent = require_consent

    def validate_consent(self, field):
        if self.require_consent and not field.data:
            raise ValidationError(_l("Du behöver godkänna att uppgifterna sparas för att kunna anmäla dig."))

    def validate_new_organisation(self, field):
        if self.organisation_id.data and field.data.strip():
            raise ValidationError(_l("Välj en organisation i listan eller skriv en ny, inte båda."))


class UpdateRegistrationForm(RegistrationForm):
    """A registrant changes their own registration through the personal link; the email stays."""

    email = None
    consent = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, require_consent=False, **kwargs)


class ManualRegistrationForm(RegistrationForm):
    """An organiser registers someone by hand (email optional)."""

    email = EmailField(_l("E-postadress"), validators=[
        Optional(), Email(message=_l("Skriv en giltig e-postadress.")), Length(max=254)],
        description=_l("Om du fyller i den skickas en bekräftelse."))
    consent = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, require_consent=False, **kwargs)


class WalkInForm(ManualRegistrationForm):
    dietary_needs = None
    accessibility_needs = None


class AgendaItemForm(Form):
    time_label = StringField(_l("Tid"), validators=[Length(max=20)], description=_l("Till exempel 09.30."))
    title = StringField(_l("Punkt"), validators=[DataRequired(message=REQUIRED), Length(max=300)])
    responsible = StringField(_l("Ansvarig"), validators=[Length(max=300)])
    description = TextAreaField(_l("Beskrivning"))


class MinutesItemForm(Form):
    heading = StringField(_l("Rubrik"), validators=[DataRequired(message=REQUIRED), Length(max=300)])
    body = TextAreaField(_l("Anteckningar"))
    decisions = TextAreaField(_l("Beslut"), description=_l("Ett beslut per rad."))
    reason = StringField(_l("Varför ändras justerade anteckningar?"), validators=[Length(max=1000)],
                         description=_l("Behövs bara när anteckningarna redan är justerade."))


class TaskForm(Form):
    what = TextAreaField(_l("Vad ska göras"), validators=[DataRequired(message=REQUIRED)])
    who = StringField(_l("Vem"), validators=[Length(max=300)])
    due_date = DateField(_l("Klart senast"), validators=[Optional()])


class TaskStatusForm(Form):
    status = SelectField(_l("Status"), choices=list(TaskStatus.LABELS.items()))


class SignerForm(Form):
    role = SelectField(_l("Roll"), choices=list(MinutesSigner.ROLES.items()), default=MinutesSigner.JUSTERARE)
    name = StringField(_l("Namn"), validators=[DataRequired(message=REQUIRED), Length(max=200)])
    side = StringField(_l("Företräder"), validators=[Length(max=100)],
                       description=_l("Till exempel ”Regionen” eller ”Organisationerna”."))
    email = EmailField(_l("E-postadress"), validators=[
        Optional(), Email(message=_l("Skriv en giltig e-postadress.")), Length(max=254)],
        description=_l("Om du fyller i den kan personen justera med en personlig länk."))


class ApproveMinutesForm(Form):
    """The signer's approval on the page of the personal link: the fingerprint of the minutes shown."""

    fingerprint = HiddenField()


class DocumentForm(Form):
    title = StringField(_l("Titel"), validators=[Length(max=300)])
    file = FileField(_l("Fil"), validators=[FileRequired(message=_l("Välj en fil."))],
                     description=_l("PDF, Word, Excel, PowerPoint eller OpenDocument."))
    public = BooleanField(_l("Visa på den offentliga sidan"), default=True)


class SeriesForm(Form):
    title = StringField(_l("Namn på serien"), validators=[DataRequired(message=REQUIRED), Length(max=300)])
    description = TextAreaField(_l("Beskrivning"))
    organiser_id = SelectField(_l("Arrangör"), coerce=int, default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser_id.choices = organisation_choices(include_review=True, blank=_l("– Ingen arrangör –"))


class EraseForm(Form):
    email = EmailField(_l("E-postadress"), validators=[
        DataRequired(message=REQUIRED), Email(message=_l("Skriv en giltig e-postadress."))])


class CheckinForm(Form):
    present = HiddenField()


# --- invitations (issue 13) ---

class InvitationForm(Form):
    """Whom to invite: groups that narrow each other, and additions. Preview first, then send."""

    legal_forms = MultiCheckboxField(_l("Organisationsform"), choices=list(LEGAL_FORMS.items()))
    sub_regions = MultiCheckboxField(_l("Delregion"), choices=[(k, SUB_REGIONS[k]) for k in VG_SUB_REGIONS],
                                     description=_l("Väljer du både form och delregion bjuds de som har båda in."))
    platform_ids = MultiCheckboxField(_l("Plattformar"), coerce=int,
                                      description=_l("Plattformen och organisationerna i dess delregion."))
    attended_meeting_ids = MultiCheckboxField(_l("Deltog i ett tidigare möte"), coerce=int,
                                              description=_l("Organisationer som var på plats."))
    group_ids = MultiCheckboxField(_l("Medlemmar i en grupp"), coerce=int,
                                   description=_l("Organisationerna bakom gruppens nuvarande ledamöter."))
    agreement_ids = MultiCheckboxField(_l("Har undertecknat överenskommelsen"), coerce=int,
                                       description=_l("Organisationer som undertecknat och inte gått ur."))
    organisation_ids = MultiCheckboxField(_l("Organisationer"), coerce=int,
                                          description=_l("Välj enskilda organisationer."))
    preview = SubmitField(_l("Visa urvalet"))
    send = SubmitField(_l("Skicka inbjudningarna"))

    def __init__(self, *args, platforms=(), meetings=(), organisations=(), groups=(), agreements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.platform_ids.choices = [(o.id, o.name) for o in platforms]
        self.group_ids.choices = list(groups)
        self.agreement_ids.choices = list(agreements)
        self.attended_meeting_ids.choices = [
            (m.id, f"{utc_to_local_naive(m.starts_at):%Y-%m-%d} {m.title}") for m in meetings]
        self.organisation_ids.choices = [(o.id, o.name) for o in organisations]

    def selection(self):
        """The ticked choices by name, the fields of dialog.invitations.Selection."""
        return {name: list(getattr(self, name).data or []) for name in (
            "legal_forms", "sub_regions", "platform_ids", "attended_meeting_ids", "group_ids", "agreement_ids",
            "organisation_ids")}


class DeclineForm(Form):
    """The invited organisation says no (a POST: a mail scanner following the link must not decline)."""


class UnsubscribeForm(Form):
    """Confirms no more invitations (a POST, for the same reason)."""


class InvitedRegistrationForm(Form):
    """Registration from an invitation: the organisation is the invited one, so it is not asked for."""

    name = RegistrationForm.name
    email = RegistrationForm.email
    dietary_needs = RegistrationForm.dietary_needs
    accessibility_needs = RegistrationForm.accessibility_needs
    consent = RegistrationForm.consent
    validate_consent = RegistrationForm.validate_consent

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_consent = True
