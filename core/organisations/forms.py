"""Forms of the organisation registry: edit, search, import upload."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from core.forms import Form
from core.models import LEGAL_FORMS, SUB_REGIONS, VG_SUB_REGIONS
from core.organisations.services import DuplicateNumber


def legal_form_choices():
    return [(code, label) for code, label in LEGAL_FORMS.items()]


def sub_region_choices(blank):
    vg = [(code, SUB_REGIONS[code]) for code in VG_SUB_REGIONS]
    others = [(code, label) for code, label in SUB_REGIONS.items() if code not in VG_SUB_REGIONS]
    return [("", blank)] + vg + others


class OrganisationForm(Form):
    """The editable fields; the rules live in services.clean_organisation_data, run by the view."""

    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Skriv organisationens namn.")),
                                               Length(max=300, message=_l("Namnet får vara högst 300 tecken."))])
    org_number = StringField(_l("Organisationsnummer"), description=_l("Tio siffror, till exempel 802473-5832."),
                             render_kw={"inputmode": "numeric", "autocomplete": "off"})
    # The service checks the choices, with a Swedish message (WTForms' own is English only).
    legal_form = SelectField(_l("Juridisk form"), choices=legal_form_choices, default="forening",
                             validate_choice=False)
    sub_region = SelectField(_l("Delregion eller län"), choices=lambda: sub_region_choices(_l("Inte angiven")),
                             validate_choice=False)
    contact_email = StringField(_l("E-post för kontakt"), render_kw={"type": "email", "autocomplete": "off"})
    website = StringField(_l("Webbplats"), description=_l("Till exempel www.forening.se."),
                          render_kw={"inputmode": "url"})
    notes = TextAreaField(_l("Anteckningar"), description=_l("Syns bara för administratörer, moderatorer och "
                                                            "skrivargruppen."))

    def data_dict(self):
        return {key: getattr(self, key).data for key in
                ("name", "org_number", "legal_form", "sub_region", "contact_email", "website", "notes")}

    def add_errors(self, errors, link_for=None):
        """Put service errors beside their fields; a duplicate number gets a link to the other one."""
        for key, message in errors.items():
            if isinstance(message, DuplicateNumber) and link_for is not None:
                message = duplicate_message(message.other, link_for(message.other))
            getattr(self, key).errors = list(getattr(self, key).errors) + [message]


def duplicate_message(other, url):
    link = Markup('<a href="{}">{}</a>').format(url, other.name)
    # The catalogue's text is ours; only the name is user text and it is escaped above.
    return Markup(_("Numret används redan av %(name)s.", name=link))


class SearchForm(Form):
    """The list's search and filters; read from the query string, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Sök"), description=_l("Namn, organisationsnummer eller e-post"),
                    render_kw={"type": "search"})
    legal_form = SelectField(_l("Juridisk form"), choices=lambda: [("", _l("Alla"))] + legal_form_choices())
    sub_region = SelectField(_l("Delregion eller län"),
                             choices=lambda: sub_region_choices(_l("Alla")) + [("_none", _l("Inte angiven"))])
    review = SelectField(_l("Granskning"), choices=lambda: [("", _l("Alla")), ("ja", _l("Behöver granskas")),
                                                            ("nej", _l("Granskade"))])

    def filters(self):
        review = {"ja": True, "nej": False}.get(self.review.data)
        return {"q": self.q.data or "", "legal_form": self.legal_form.data or None,
                "sub_region": self.sub_region.data or None, "needs_review": review}

    def validate_filters(self):
        """Unknown choices in a hand-edited URL are ignored rather than shown as an error."""
        for f in (self.legal_form, self.sub_region, self.review):
            if f.data not in {c[0] for c in f.choices}:
                f.data = ""


class ImportForm(Form):
    file = FileField(_l("Fil (CSV eller Excel .xlsx)"),
                     validators=[FileRequired(message=_l("Välj en fil att läsa in."))],
                     render_kw={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument."
                                          "spreadsheetml.sheet"})
