"""The audit trail's filters, read from the query string."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from core.audit import ACTIONS
from core.auth.services import get_user_by_email

BAD_DATE = _l("Skriv ett datum som 2026-12-01.")


class SwedishDateField(DateField):
    """A date with a Swedish message for anything else."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(BAD_DATE)) from exc


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Händelse"), choices=lambda: [("", _l("Alla"))] + list(ACTIONS.items()),
                         validate_choice=False)
    actor = StringField(_l("Utförd av"), description=_l("E-postadress eller användar-id"))
    date_from = SwedishDateField(_l("Från och med"), validators=[Optional()], render_kw={"type": "date"})
    date_to = SwedishDateField(_l("Till och med"), validators=[Optional()], render_kw={"type": "date"})

    def validate_actor(self, field):
        self.actor_id = None
        text = (field.data or "").strip()
        if not text:
            return
        if text.isdigit():
            self.actor_id = int(text)
            return
        user = get_user_by_email(text)
        if user is None:
            raise ValidationError(_l("Det finns inget konto med den e-postadressen."))
        self.actor_id = user.id

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Slutdagen ligger före startdagen."))

    def filters(self):
        """The filters that are valid; a field with an error is left out (and shown beside the field)."""
        action = self.action.data if self.action.data in ACTIONS else None
        return {
            "action": action,
            "actor_id": getattr(self, "actor_id", None) if not self.actor.errors else None,
            "date_from": self.date_from.data if not self.date_from.errors else None,
            "date_to": self.date_to.data if not (self.date_to.errors or self.date_from.errors) else None,
        }
