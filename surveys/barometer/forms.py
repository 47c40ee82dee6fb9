"""Forms for barometers, statements, background questions, sessions and typing a join code."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from core.forms import REQUIRED, Form, MultiCheckboxField
from surveys.barometer.models import DEFAULT_LABELS, JOIN_CODE_LENGTH, SCALE_STEPS
from surveys.barometer.sessions import meeting_choices


class BarometerForm(Form):
    title = StringField(_l("Rubrik"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), Length(max=5000)],
                                description=_l("Visas för moderatorn, inte för deltagarna."))
    default_questions = BooleanField(
        _l("Fråga deltagarna om organisationstyp och delregion när de går med"), default=True)
    submit = SubmitField(_l("Spara"))


class StatementForm(Form):
    text = TextAreaField(_l("Påstående"), validators=[DataRequired(REQUIRED), Length(max=500)],
                         description=_l("Skriv ett påstående som man kan hålla med om eller inte."))
    steps = SelectField(_l("Antal steg på skalan"), coerce=int, default=5,
                        choices=[(n, str(n)) for n in SCALE_STEPS],
                        description=_l("Skalan går från ”Jag håller INTE med” till ”Jag håller med”."))
    label_1 = StringField(_l("Steg 1"), validators=[Optional(), Length(max=60)])
    label_2 = StringField(_l("Steg 2"), validators=[Optional(), Length(max=60)])
    label_3 = StringField(_l("Steg 3"), validators=[Optional(), Length(max=60)])
    label_4 = StringField(_l("Steg 4"), validators=[Optional(), Length(max=60)])
    label_5 = StringField(_l("Steg 5"), validators=[Optional(), Length(max=60)])
    label_6 = StringField(_l("Steg 6"), validators=[Optional(), Length(max=60)])
    label_7 = StringField(_l("Steg 7"), validators=[Optional(), Length(max=60)])
    allow_dont_know = BooleanField(_l("Låt deltagarna svara ”Vet inte / avstår”"), default=True)
    submit = SubmitField(_l("Spara påståendet"))

    LABEL_FIELDS = ("label_1", "label_2", "label_3", "label_4", "label_5", "label_6", "label_7")

    def label_fields(self):
        return [getattr(self, name) for name in self.LABEL_FIELDS]

    def labels(self):
        return [f.data or "" for f in self.label_fields()][: self.steps.data]

    def fill_labels(self, labels):
        for f, label in zip(self.label_fields(), labels, strict=False):
            f.data = label

    def default_label_hints(self):
        return {n: labels for n, labels in DEFAULT_LABELS.items()}


class BackgroundQuestionForm(Form):
    text = StringField(_l("Fråga"), validators=[DataRequired(REQUIRED), Length(max=300)])
    options = TextAreaField(_l("Svarsalternativ"), validators=[DataRequired(REQUIRED)],
                            description=_l("Ett alternativ per rad, minst två."))
    allow_decline = BooleanField(_l("Låt deltagarna välja ”Vill inte svara”"), default=True)
    submit = SubmitField(_l("Spara frågan"))

    def validate_options(self, field):
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) < 2:
            raise ValidationError(_l("Skriv minst två svarsalternativ, ett per rad."))
        if any(len(line) > 120 for line in lines):
            raise ValidationError(_l("Ett alternativ får vara högst 120 tecken."))

    def option_lines(self):
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]


class CopyStatementsForm(Form):
    statements = MultiCheckboxField(_l("Påståenden att kopiera"), coerce=int,
                                    validators=[DataRequired(_l("Välj minst ett påstående."))])
    submit = SubmitField(_l("Kopiera valda"))


class SessionForm(Form):
    name = StringField(_l("Namn på tillfället"), validators=[Optional(), Length(max=200)],
                       description=_l("Till exempel ”Länskonferensen 23 oktober”. Syns i resultaten."))
    meeting = SelectField(_l("Dialogmöte eller konferens (valfritt)"), coerce=int, default=0, choices=[],
                          description=_l("Koppla sessionen till mötet där den körs, så syns resultatet vid mötet."))
    submit = SubmitField(_l("Starta livesession"))


class JoinCodeForm(Form):
    # The participants' form carries no account; CSRF still protects it like every other form.
    code = StringField(_l("Kod"), validators=[DataRequired(_l("Skriv koden som visas på skärmen.")),
                                              Length(max=20)],
                       description=_l("Sex tecken, till exempel VARM15."))
    submit = SubmitField(_l("Gå med"))

    def validate_code(self, field):
        cleaned = "".join((field.data or "").split()).upper()
        if len(cleaned) != JOIN_CODE_LENGTH or not cleaned.isalnum() or not cleaned.isascii():
            raise ValidationError(_l("Koden har sex tecken, bokstäver och siffror."))


def session_form():
    """The start form, its meeting list from the "meetings" choice source (see sessions.meeting_choices)."""
    form = SessionForm()
    form.meeting.choices = meeting_choices()
    return form
