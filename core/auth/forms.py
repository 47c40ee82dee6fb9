"""Forms for logging in, passwords, invitations and tokens."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from core.forms import REQUIRED, Form, MultiCheckboxField
from core.models import Role

MIN_PASSWORD = 10


def password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(message=REQUIRED),
            Length(min=MIN_PASSWORD, max=200, message=_l("Lösenordet ska ha minst %(min)d tecken.", min=MIN_PASSWORD)),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(Form):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(message=REQUIRED)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(message=REQUIRED)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Kom ihåg mig på den här enheten"))


class SetPasswordForm(Form):
    password = password_field(_l("Nytt lösenord"))
    confirm = PasswordField(
        _l("Upprepa lösenordet"),
        validators=[DataRequired(message=REQUIRED), EqualTo("password", message=_l("Lösenorden är inte lika."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Nuvarande lösenord"), validators=[DataRequired(message=REQUIRED)],
                            render_kw={"autocomplete": "current-password"})

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_current(self, field):
        if not self._user.check_password(field.data):
            raise ValidationError(_l("Det nuvarande lösenordet stämmer inte."))


class ResetRequestForm(Form):
    email = EmailField(_l("E-postadress"), validators=[
        DataRequired(message=REQUIRED), Email(message=_l("Skriv en giltig e-postadress."))])


class UserForm(Form):
    email = EmailField(_l("E-postadress"), validators=[
        DataRequired(message=REQUIRED), Email(message=_l("Skriv en giltig e-postadress.")), Length(max=254)])
    name = StringField(_l("Namn"), validators=[Length(max=200)])
    roles = MultiCheckboxField(_l("Roller"), choices=[(r, Role.LABELS[r]) for r in Role.ALL])
    organisations = SelectMultipleField(_l("Organisationer"), coerce=int, choices=[])
    active = BooleanField(_l("Kontot är aktivt"), default=True)


class TokenForm(Form):
    name = StringField(_l("Vad ska nyckeln användas till?"), validators=[
        DataRequired(message=REQUIRED), Length(max=100)])
