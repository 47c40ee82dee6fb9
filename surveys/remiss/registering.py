"""Open participation: open remisses listed for everyone, and an organisation that was not invited registering
itself to answer one that allows uninvited answers.

A registered organisation is new and waits for an administrator's review (the registry's needs_review flag);
until then its answer is shown to the drafting group marked, and not counted as a remissinstans. A visitor is never
attached to an organisation already in the registry on their word: a matching name or number is refused, with how
to get access instead.
"""
import sqlalchemy as sa
from flask_babel import gettext as _

from core.extensions import db
from core.models import Membership, Organisation, Role, User, utcnow
from core.organisations.services import DuplicateNumber, clean_organisation_data
from surveys.remiss.claiming import ClaimError, ClaimErrors, clean_typed_email
from surveys.remiss.models import BodyStatus, InvitedBody, Remiss, RemissStatus


def open_remisses(now=None):
    """Remisses taking answers now, soonest deadline first: the public list."""
    now = now or utcnow()
    return db.session.scalars(sa.select(Remiss).where(Remiss.status == RemissStatus.OPEN, Remiss.opens_at <= now,
                                                      Remiss.deadline > now)
                              .order_by(Remiss.deadline, Remiss.id)).all()


def is_publicly_open(remiss, now=None):
    """The remiss and its draft may be read by anyone: it is open and takes answers."""
    return remiss.status == RemissStatus.OPEN and remiss.accepting(now)


def can_register(remiss, now=None):
    return remiss.allow_uninvited and is_publicly_open(remiss, now)


def _same_name(name):
    key = " ".join(name.split()).lower()
    return db.session.scalar(sa.select(Organisation).where(sa.func.lower(Organisation.name) == key).limit(1))


def _refuse_existing(org):
    return ClaimError(_("%(name)s finns redan i Samråd. Be någon som redan har ett konto för organisationen att "
                        "lägga till dig, eller kontakta skrivargruppen eller en administratör, så får du tillgång.",
                        name=org.name), "org_name")


def register(remiss, *, name, email, password, org_name, org_number=None, legal_form=None, sub_region=None):
    """A new organisation and its first account, to answer this remiss. Returns (user, organisation).

    Raises ClaimError (one field) or ClaimErrors (several) with messages for the form.
    """
    if not can_register(remiss):
        raise ClaimError(_("Den här remissen tar inte emot svar från organisationer som inte är inbjudna."))
    address = clean_typed_email(email)
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == address)) is not None:
        raise ClaimError(_("Det finns redan ett konto för %(email)s. Logga in med det i stället.", email=address),
                         "email")
    clean, errors = clean_organisation_data({"name": org_name, "org_number": org_number,
                                             "legal_form": legal_form, "sub_region": sub_region})
    duplicate = errors.pop("org_number", None)
    if isinstance(duplicate, DuplicateNumber):
        raise _refuse_existing(duplicate.other)
    if duplicate is not None:
        errors["org_number"] = duplicate
    if errors:
        raise ClaimErrors({("org_name" if key == "name" else key): str(value) for key, value in errors.items()})
    existing = _same_name(clean["name"])
    if existing is not None:
        raise _refuse_existing(existing)
    org = Organisation(name=clean["name"], org_number=clean["org_number"], legal_form=clean["legal_form"],
                       sub_region=clean["sub_region"], contact_email=address, needs_review=True)
    user = User(email=address, name=" ".join((name or "").split())[:200])
    user.set_password(password)
    user.set_roles([Role.RESPONDENT])
    db.session.add_all([org, user, Membership(user=user, organisation=org, can_sign=True)])
    db.session.add(InvitedBody(remiss=remiss, organisation=org, email=address, invited=False,
                               status=BodyStatus.OPENED, opened_at=utcnow()))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # The same name, number or address registered a moment ago by someone else.
        db.session.rollback()
        raise ClaimError(_("Organisationen eller adressen registrerades nyss av någon annan. Logga in, eller "
                           "kontakta skrivargruppen.")) from None
    return user, org


def awaits_review(organisation):
    """An organisation that registered itself and is not yet reviewed: its answer is not yet a remissinstans's."""
    return organisation is not None and organisation.needs_review
