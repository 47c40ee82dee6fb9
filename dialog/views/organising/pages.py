"""The organiser's pages that several views render again after a form error: one way to build each."""
from flask import render_template
from flask_login import current_user

from dialog import access
from dialog import evaluation as evaluation_svc
from dialog import meetings as meetings_svc
from dialog import minutes as minutes_svc
from dialog.forms import (
    AgendaItemForm,
    ManualRegistrationForm,
    MinutesItemForm,
    SignerForm,
    TaskForm,
    TaskStatusForm,
)


def organised_meeting(meeting_id):
    """The meeting, for the organiser's pages."""
    return access.get_meeting_or_404(meeting_id, current_user, edit=True)


def meeting_page(meeting, status=200, **forms):
    """The organiser's meeting page; a form that failed is passed in so its errors and text are shown."""
    forms.setdefault("agenda_form", AgendaItemForm(prefix="agenda"))
    forms.setdefault("manual_form", ManualRegistrationForm(prefix="manual"))
    evaluation = evaluation_svc.evaluation_of(meeting) if meeting.is_held else None
    return render_template("dialog/manage/meeting.html", meeting=meeting,
                           registrations=meetings_svc.registrations_for_organiser(meeting), evaluation=evaluation,
                           evaluation_recipients=len(evaluation_svc.recipients(meeting)) if evaluation else 0,
                           evaluation_mailed=len(evaluation_svc.already_mailed(meeting)) if evaluation else 0,
                           **forms), status


def minutes_page(meeting, status=200, **forms):
    """The minutes page; a failed item form is passed as item_<id>, the other forms by their names."""
    forms.setdefault("new_item_form", MinutesItemForm(prefix="new"))
    forms.setdefault("task_form", TaskForm(prefix="task"))
    forms.setdefault("signer_form", SignerForm(prefix="signer"))
    item_forms = []
    for item in meeting.minutes_items:
        form = forms.get(f"item_{item.id}") or MinutesItemForm(
            prefix=f"item{item.id}", formdata=None,
            data={"heading": item.heading, "body": item.body,
                  "decisions": "\n".join(d.text for d in item.decisions)})
        item_forms.append((item, form))
    return render_template(
        "dialog/manage/minutes.html", meeting=meeting, item_forms=item_forms,
        carried_tasks=meetings_svc.open_tasks_before(meeting), missing=minutes_svc.approval_missing(meeting),
        status_form=TaskStatusForm, **{k: v for k, v in forms.items() if not k.startswith("item_")},
    ), status
