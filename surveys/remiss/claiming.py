"""Taking on an invitation from its personal link, for someone with no account in the invited organisation.

A body invited by email alone, or a registry organisation nobody has an account for yet, would otherwise stop at
"log in". The personal link went to the invited address, so whoever holds it may take the invitation on: with a
new account for that address, or with the account they are logged in with. An organisation that already has
accounts in Samråd is never joined this way: its own members (or an administrator) add new people.

An invitation sent to an address alone says nothing about which organisation the holder speaks for. Naming a
registry organisation from it joins that organisation only when the invited address is the organisation's
registered contact address; otherwise the holder waits, with a pending membership that reaches nothing, until
an administrator or the remiss's drafting group confirms them (confirm_pending). A new organisation created from
the link is the holder's own, and waits for an administrator's review of the registry entry.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from core.audit import record
from core.extensions import db
from core.models import Membership, Organisation, Role, User, utcnow
from core.organisations.services import (
    DuplicateNumber,
    OrganisationError,
    clean_organisation_data,
    normalise_email,
)
from surveys.remiss.models import BodyStatus, InvitedBody, RemissError


class ClaimError(RemissError):
    """A refusal; field names the form field the message belongs beside (None: the whole form)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class ClaimErrors(RemissError):
    """Several field errors of a new organisation at once: {field: message}."""

    def __init__(self, errors):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# What the invitation page offers; see state().
MEMBER = "member"      # the user answers for the organisation already
JOIN = "join"          # logged in; the invited organisation has no accounts yet
CHOOSE = "choose"      # logged in; invited by email alone: pick which organisation answers
SIGNUP = "signup"      # not logged in and no account for the invited address: create one here
LOGIN = "login"        # not logged in and an account exists, or the organisation has its own accounts
TAKEN = "taken"        # logged in, but the organisation has accounts and the user is not one of them
PENDING = "pending"    # logged in; the user named an organisation from this link and waits for confirmation


@dataclass
class Invitation:
    state: str
    body: InvitedBody
    address: str | None
    account_exists: bool


def invited_address(body):
    """The address the personal link was sent to."""
    email = body.email or (body.organisation.contact_email if body.organisation else None)
    return email.strip().lower() if email else None


def has_members(organisation):
    """Whether the organisation has confirmed accounts (a pending claim does not make it "taken")."""
    return db.session.scalar(sa.select(sa.exists().where(
        Membership.organisation_id == organisation.id, Membership.confirmed.is_(True)))) is True


def _pending_claim(body, user):
    """The organisation this user asked, from this email-only link, to answer for (None: no such claim)."""
    if body.claimed_organisation_id is None or body.claimed_by_id != user.id:
        return None
    if body.claimed_organisation_id in user.pending_organisation_ids:
        return body.claimed_organisation
    return None


def _account_for(email):
    if not email:
        return None
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))


def state(body, user):
    """What the personal link offers this visitor."""
    address = invited_address(body)
    account_exists = _account_for(address) is not None
    org = body.organisation
    logged_in = user is not None and user.is_authenticated
    if logged_in:
        if org is None:
            result = PENDING if _pending_claim(body, user) is not None else CHOOSE
        elif org.id in user.organisation_ids:
            result = MEMBER
        else:
            result = TAKEN if has_members(org) else JOIN
    elif account_exists or (org is not None and has_members(org)):
        result = LOGIN
    else:
        result = SIGNUP
    return Invitation(result, body, address, account_exists)


def _join(user, organisation, confirmed=True):
    """The user answers for the organisation from now on, and may sign its answers (it is the first member).

    confirmed=False: a pending membership, which gives no access until confirm_pending.
    """
    membership = db.session.get(Membership, (user.id, organisation.id)) if user.id else None
    if membership is None:
        db.session.add(Membership(user=user, organisation=organisation, can_sign=True, confirmed=confirmed))
        if confirmed:
            record("organisation.claimed", target=organisation, actor=user, user_id=user.id)
    elif confirmed and not membership.confirmed:
        membership.confirmed = True
        record("organisation.claimed", target=organisation, user_id=user.id)  # actor: who confirmed
    if not user.roles:
        user.set_roles([Role.RESPONDENT])


def _address_matches(body, organisation):
    """Whether the link went to the organisation's own registered contact address."""
    address = invited_address(body)
    contact = (organisation.contact_email or "").strip().lower()
    return bool(address) and address == contact


def _existing_unclaimed(org_id, name):
    """A registry organisation the new one names: by number, else by name. Joined only if nobody has an account."""
    org = db.session.get(Organisation, org_id) if org_id else db.session.scalar(
        sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.lower()).limit(1))
    if org is not None and has_members(org):
        raise ClaimError(_taken(org), "org_name")
    return org


def _taken(org):
    return _("%(name)s har redan konton i Samråd. Be någon av dem, eller skrivargruppen, att lägga till dig.",
             name=org.name)


def _organisation_from(data, body):
    """The organisation an email-only invitation answers for: (organisation, is_new).

    An unclaimed registry one, or a new one to review.
    """
    clean, errors = clean_organisation_data({
        "name": data.get("org_name"), "org_number": data.get("org_number"),
        "legal_form": data.get("legal_form"), "sub_region": data.get("sub_region"),
    })
    duplicate = errors.pop("org_number", None)
    if isinstance(duplicate, DuplicateNumber):
        return _existing_unclaimed(duplicate.other.id, clean["name"]), False
    if duplicate is not None:
        errors["org_number"] = duplicate
    if errors:
        raise ClaimErrors({("org_name" if key == "name" else key): value for key, value in errors.items()})
    existing = _existing_unclaimed(None, clean["name"])
    if existing is not None:
        return existing, False
    org = Organisation(name=clean["name"], org_number=clean["org_number"], legal_form=clean["legal_form"],
                       sub_region=clean["sub_region"], contact_email=invited_address(body), needs_review=True)
    db.session.add(org)
    db.session.flush()
    return org, True


def _attach(body, organisation):
    """Tie an email-only body to its organisation; if that organisation was invited too, keep one body."""
    other = db.session.scalar(sa.select(InvitedBody).where(
        InvitedBody.remiss_id == body.remiss_id, InvitedBody.organisation_id == organisation.id))
    if other is None:
        body.organisation = organisation
        return body
    other.invited = other.invited or body.invited
    other.email = other.email or body.email
    other.opened_at = other.opened_at or body.opened_at
    other.advance(BodyStatus.OPENED)
    db.session.delete(body)
    return other


def take_on(body, user, organisation_id=None, data=None):
    """A logged-in user takes the invitation on. Returns the organisation that answers.

    For a body invited by email alone, organisation_id picks one of the user's organisations, or data names a
    new one (org_name, org_number, legal_form, sub_region). Naming an existing registry organisation whose
    contact address is not the invited one leaves the user pending (see the module's docstring): the body is not
    tied to it, and the returned organisation is not among user.organisation_ids.
    """
    try:
        org = body.organisation
        if org is None:
            if organisation_id:
                if organisation_id not in user.organisation_ids:
                    raise ClaimError(_("Välj en av dina organisationer eller skriv namnet på en ny."),
                                     "organisation_id")
                org = db.session.get(Organisation, organisation_id)
            else:
                org, is_new = _organisation_from(data or {}, body)
                if not is_new and not _address_matches(body, org):
                    _join(user, org, confirmed=False)
                    db.session.flush()
                    body.claimed_organisation = org
                    body.claimed_by_id = user.id
                    if body.opened_at is None:
                        body.opened_at = utcnow()
                    body.advance(BodyStatus.OPENED)
                    db.session.commit()
                    return org
            body.claimed_organisation = None
            body.claimed_by_id = None
            body = _attach(body, org)
        elif org.id not in user.organisation_ids and has_members(org):
            raise ClaimError(_taken(org))
        _join(user, org)
        if body.opened_at is None:
            body.opened_at = utcnow()
        body.advance(BodyStatus.OPENED)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return org


def clean_typed_email(email):
    """An address someone typed for their new account (holding a link that went to no address, or registering
    an organisation), checked by the registry's one rule (core normalise_email) and kept in lower case, as
    invited addresses are compared. A ClaimError beside the email field when it is missing or not an address."""
    try:
        address = normalise_email(email)
    except OrganisationError:
        raise ClaimError(_("Skriv en giltig e-postadress."), "email") from None
    if address is None:
        raise ClaimError(_("Fyll i det här fältet."), "email")
    return address.lower()


def sign_up(body, name, password, data=None, email=None):
    """A new account for the invited address, in the invited (or named) organisation. Returns (user, organisation).

    A link the drafting group made for a body with no address went to nobody's inbox: whoever holds it gives their
    own address (email), which becomes the account's and, from then on, the body's.
    """
    address = invited_address(body)
    typed = address is None
    if typed:
        address = clean_typed_email(email)
    if _account_for(address) is not None:
        raise ClaimError(_("Det finns redan ett konto för %(email)s. Logga in med det i stället.", email=address),
                         "email" if typed else None)
    if typed:
        body.email = address
    user = User(email=address, name=" ".join((name or "").split())[:200])
    user.set_password(password)
    user.set_roles([Role.RESPONDENT])
    db.session.add(user)
    try:
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    return user, take_on(body, user, data=data)


def confirm_pending(body):
    """An administrator or the drafting group confirms the claim made from this link: the claimant becomes a
    confirmed member of the named organisation, and the invitation is tied to it. Returns the organisation."""
    org = body.claimed_organisation
    if org is None:
        raise ClaimError(_("Det finns ingen begäran att bekräfta."))
    user = db.session.get(User, body.claimed_by_id)
    try:
        if user is not None:
            _join(user, org, confirmed=True)
        body.claimed_organisation = None
        body.claimed_by_id = None
        _attach(body, org)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return org


def reject_pending(body):
    """The claim made from this link is refused: the pending membership goes, the invitation stays open."""
    try:
        if body.claimed_organisation_id is not None and body.claimed_by_id is not None:
            membership = db.session.get(Membership, (body.claimed_by_id, body.claimed_organisation_id))
            if membership is not None and not membership.confirmed:
                db.session.delete(membership)
        body.claimed_organisation = None
        body.claimed_by_id = None
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
