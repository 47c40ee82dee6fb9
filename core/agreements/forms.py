"""Forms for agreements, parties, contributions, documents, signatories, groups and the action plan."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from core.agreements.models import AgreementKind, GroupKind, MeasureStatus, Side
from core.models import LEGAL_FORMS, SUB_REGIONS, VG_SUB_REGIONS

BAD_DATE = _l("Skriv datumet som ÅÅÅÅ-MM-DD.")
BAD_NUMBER = _l("Skriv ett heltal.")


class SwedishDateField(DateField):
    """A date with a Swedish message for anything that is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(BAD_DATE)) from exc


class SwedishIntegerField(IntegerField):
    """A whole number (spaces allowed: "300 000") with a Swedish message for anything else."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [str(valuelist[0]).replace(" ", "").replace("\u00a0", "")]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(BAD_NUMBER)) from exc


def side_choices():
    return list(Side.LABELS.items())


class AgreementForm(FlaskForm):
    kind = SelectField(_l("Sort"), choices=lambda: list(AgreementKind.LABELS.items()), validate_choice=False)
    title = StringField(_l("Titel"), validators=[Length(max=500)])
    short_name = StringField(_l("Kort namn"), description=_l("Visas i listor, till exempel "
                                                             "”Överenskommelsen i Västra Götaland”."))
    diary_number = StringField(_l("Diarienummer"), description=_l("Till exempel RS 767-2011."))
    description = TextAreaField(_l("Beskrivning"))
    period_start = SwedishDateField(_l("Gäller från"), validators=[Optional()])
    period_end = SwedishDateField(_l("Gäller till och med"), validators=[Optional()],
                                  description=_l("Lämna tomt om överenskommelsen gäller tills vidare."))
    notice_months = SwedishIntegerField(_l("Uppsägningstid i månader"), validators=[Optional()])
    notice_text = TextAreaField(_l("Uppsägning"), description=_l("Villkoren för uppsägning och omförhandling."))
    representatives_among_signatories = BooleanField(
        _l("Den sociala ekonomins representanter väljs bland dem som skrivit under"))

    def data_dict(self):
        return {key: getattr(self, key).data for key in (
            "kind", "title", "short_name", "diary_number", "description", "period_start", "period_end",
            "notice_months", "notice_text", "representatives_among_signatories")}


class PartyForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=False)
    side = SelectField(_l("Sida"), choices=side_choices, validate_choice=False)
    abbreviation = StringField(_l("Förkortning"), validators=[Length(max=20)])
    acting_through = StringField(_l("Genom"), description=_l("Till exempel kulturnämnden."),
                                 validators=[Length(max=200)])
    contact_name = StringField(_l("Kontaktperson"), validators=[Length(max=200)])
    contact_email = StringField(_l("Kontaktpersonens e-post"), validators=[Length(max=254)])


class ContributionForm(FlaskForm):
    party_id = SelectField(_l("Part"), coerce=int, validate_choice=False)
    period_start = SwedishDateField(_l("Från"), validators=[Optional()])
    period_end = SwedishDateField(_l("Till och med"), validators=[Optional()])
    amount_sek = SwedishIntegerField(_l("Belopp i kronor"), validators=[Optional()])
    payment_rhythm = StringField(_l("Utbetalning"), description=_l("Till exempel månadsvis i tolftedelar."))
    description = TextAreaField(_l("Insats"), description=_l("Vad parten bidrar med utöver pengar."))


class DocumentForm(FlaskForm):
    title = StringField(_l("Rubrik"), validators=[Length(max=300)])
    file = FileField(_l("PDF-fil (högst 10 MB)"))


class SignForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=False)
    signed_on = SwedishDateField(_l("Undertecknad den"), validators=[Optional()])
    signatory_name = StringField(_l("Undertecknad av"))
    signatory_title = StringField(_l("Undertecknarens titel"))


class WithdrawForm(FlaskForm):
    withdrawn_on = SwedishDateField(_l("Lämnade den"), validators=[Optional()])


def legal_form_filter_choices():
    return [("", _l("Alla juridiska former"))] + list(LEGAL_FORMS.items())


def sub_region_filter_choices():
    return [("", _l("Alla delregioner och län"))] + [(c, SUB_REGIONS[c]) for c in VG_SUB_REGIONS] + [
        (c, label) for c, label in SUB_REGIONS.items() if c not in VG_SUB_REGIONS]


class RegisterFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    legal_form = SelectField(_l("Juridisk form"), choices=legal_form_filter_choices, validate_choice=False)
    sub_region = SelectField(_l("Delregion eller län"), choices=sub_region_filter_choices, validate_choice=False)

    def filters(self):
        legal = self.legal_form.data if self.legal_form.data in LEGAL_FORMS else None
        region = self.sub_region.data if self.sub_region.data in SUB_REGIONS else None
        return {"legal_form": legal, "sub_region": region}


class GroupForm(FlaskForm):
    kind = SelectField(_l("Sorts grupp"), choices=lambda: list(GroupKind.LABELS.items()), validate_choice=False)
    name = StringField(_l("Namn"), validators=[Length(max=200)])
    description = TextAreaField(_l("Uppdrag"))
    equal_sides_required = BooleanField(_l("Lika många från regionen som från den sociala ekonomin"))
    meetings_min_per_year = SwedishIntegerField(_l("Minst antal möten per år"), validators=[Optional()])
    meetings_max_per_year = SwedishIntegerField(_l("Högst antal möten per år"), validators=[Optional()])
    meetings_min_spring = SwedishIntegerField(_l("Minst antal möten under våren"), validators=[Optional()])
    meetings_min_autumn = SwedishIntegerField(_l("Minst antal möten under hösten"), validators=[Optional()])


class MemberForm(FlaskForm):
    user_id = SelectField(_l("Användare i Samråd"), coerce=int, validate_choice=False, default=0)
    name = StringField(_l("Eller namn"), validators=[Length(max=200)])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=False, default=0)
    side = SelectField(_l("Sida"), choices=side_choices, validate_choice=False)
    role = StringField(_l("Roll"), description=_l("Till exempel ordförande."), validators=[Length(max=100)])
    term_start = SwedishDateField(_l("Mandatperioden börjar"), validators=[Optional()])
    term_end = SwedishDateField(_l("Mandatperioden slutar"), validators=[Optional()])


class EndTermForm(FlaskForm):
    term_end = SwedishDateField(_l("Sista dag"), validators=[Optional()])


class MeasureForm(FlaskForm):
    status = SelectField(_l("Status"), choices=lambda: list(MeasureStatus.LABELS.items()), validate_choice=False)
    responsible = StringField(_l("Ansvarig"), validators=[Length(max=200)])
    due_on = SwedishDateField(_l("Klar senast"), validators=[Optional()])


class IndicatorValueForm(FlaskForm):
    met = SelectField(_l("Uppnådd"), choices=[("", _l("Inte bedömd")), ("1", _l("Ja")), ("0", _l("Nej"))],
                      validate_choice=False)
    value = StringField(_l("Värde"))
    note = StringField(_l("Kommentar"))


class EvidenceForm(FlaskForm):
    candidate = SelectField(_l("Möte, remiss eller barometer"), validate_choice=False)
