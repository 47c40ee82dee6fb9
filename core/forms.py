"""Form pieces every area uses: the base Form, EmptyForm for POST buttons, a checkbox list field."""
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets

REQUIRED = _l("Fyll i det här fältet.")

# WTForms' own messages (its English msgids) in our words: WTForms' bundled Swedish catalogue is poor
# ("kunde inte ceorce:a"), so these live in core's catalogue and are translated back to English there.
WTFORMS_MESSAGES = {
    "Invalid field name '%s'.": _l("Ogiltigt fältnamn '%s'."),
    "Field must be equal to %(other_name)s.": _l("Fältet måste vara lika med %(other_name)s."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Skriv mellan %(min)d och %(max)d tecken."),
    "Number must be at least %(min)s.": _l("Talet måste vara minst %(min)s."),
    "Number must be at most %(max)s.": _l("Talet får vara högst %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Talet måste vara mellan %(min)s och %(max)s."),
    "This field is required.": REQUIRED,
    "Invalid input.": _l("Ogiltig inmatning."),
    "Invalid email address.": _l("Skriv en giltig e-postadress."),
    "Invalid IP address.": _l("Skriv en giltig IP-adress."),
    "Invalid Mac address.": _l("Skriv en giltig MAC-adress."),
    "Invalid URL.": _l("Skriv en giltig webbadress."),
    "Invalid UUID.": _l("Skriv ett giltigt UUID."),
    "Invalid value, must be one of: %(values)s.": _l("Ogiltigt värde: det måste vara något av %(values)s."),
    "Invalid value, can't be any of: %(values)s.": _l("Ogiltigt värde: det får inte vara något av %(values)s."),
    "This field cannot be edited.": _l("Det här fältet går inte att ändra."),
    "This field is disabled and cannot have a value.": _l("Det här fältet är avstängt och kan inte ha något värde."),
    "Invalid CSRF Token.": _l("Ogiltig säkerhetsnyckel. Skicka formuläret igen."),
    "CSRF token missing.": _l("Säkerhetsnyckeln saknas. Skicka formuläret igen."),
    "CSRF failed.": _l("Säkerhetskontrollen misslyckades. Skicka formuläret igen."),
    "CSRF token expired.": _l("Säkerhetsnyckeln har gått ut. Skicka formuläret igen."),
    "Invalid Choice: could not coerce.": _l("Ogiltigt val."),
    "Choices cannot be None.": _l("Det finns inget att välja."),
    "Not a valid choice.": _l("Ogiltigt val."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Ogiltigt val: något av det valda finns inte."),
    "Not a valid datetime value.": _l("Skriv ett giltigt datum och en giltig tid."),
    "Not a valid date value.": _l("Skriv ett giltigt datum."),
    "Not a valid time value.": _l("Skriv en giltig tid."),
    "Not a valid week value.": _l("Skriv en giltig vecka."),
    "Not a valid integer value.": _l("Inte ett giltigt heltal."),
    "Not a valid decimal value.": _l("Inte ett giltigt decimaltal."),
    "Not a valid float value.": _l("Inte ett giltigt tal."),
}
# WTForms' singular msgid → our message for n. flask_babel's ngettext fills in %(num)d; a placeholder WTForms
# fills in afterwards is passed through as itself.
WTFORMS_PLURALS = {
    "Field must be at least %(min)d character long.":
        lambda n: ngettext("Skriv minst %(num)d tecken.", "Skriv minst %(num)d tecken.", n),
    "Field cannot be longer than %(max)d character.":
        lambda n: ngettext("Skriv högst %(num)d tecken.", "Skriv högst %(num)d tecken.", n),
    "Field must be exactly %(max)d character long.":
        lambda n: ngettext("Skriv exakt %(num)d tecken.", "Skriv exakt %(num)d tecken.", n),
    "'%(value)s' is not a valid choice for this field.":
        lambda n: ngettext("'%(value)s' är inte ett giltigt val.", "'%(value)s' är inte giltiga val.", n,
                           value="%(value)s"),
}


class WTFormsTranslations:
    """What WTForms asks translations of: its English msgid in, our message in the user's language out."""

    def gettext(self, string):
        message = WTFORMS_MESSAGES.get(string)
        return string if message is None else str(message)

    def ngettext(self, singular, plural, n):
        message = WTFORMS_PLURALS.get(singular)
        if message is None:
            return singular if n == 1 else plural
        return message(n)


WTFORMS_TRANSLATIONS = WTFormsTranslations()


class Form(FlaskForm):
    """Every form in Samråd inherits this, so WTForms' built-in messages read right in Swedish and English."""

    class Meta:
        def get_translations(self, form):
            return WTFORMS_TRANSLATIONS


class EmptyForm(Form):
    """A POST-only button still carries a CSRF token."""


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
