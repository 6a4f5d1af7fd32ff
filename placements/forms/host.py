from django import forms

from placements.models import HostCancelReason, HostDeclineReason


class _OtherNeedsANote:
    """A form with a coded ``reason`` and a free-text ``note``: the reason ``other`` must come with a note."""

    other = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == self.other and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say why, in a few words, when the reason is 'Other'")
        return cleaned


class HostDeclineForm(_OtherNeedsANote, forms.Form):
    other = HostDeclineReason.OTHER
    reason = forms.ChoiceField(
        label="Why can you not take this student?",
        choices=HostDeclineReason.choices,
        widget=forms.RadioSelect,
        help_text="The student's tutor sees this reason, to help them coach the student. The student stays in "
        "the running for other placements.",
        error_messages={"required": "Choose a reason"},
    )
    note = forms.CharField(
        label="More detail",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the reason is 'Other'. Do not include anything you would not want the student "
        "to read.",
    )


class _NeededToConfirm:
    """Required (and labelled so): the placement cannot be confirmed without it. A part-done checklist can still
    be saved, so an empty value is refused only when confirming (see PlacementChecksForm.clean)."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


class ChecklistField(_NeededToConfirm, forms.MultipleChoiceField):
    pass


class NeededToConfirmCharField(_NeededToConfirm, forms.CharField):
    pass


CHECKS_NOT_DONE = "Tick every check before you confirm the placement: {items}"
NO_JOINING_INSTRUCTIONS = "Write the joining instructions before you confirm the placement"


class PlacementChecksForm(forms.Form):
    checks = ChecklistField(
        label="Pre-placement checks",
        widget=forms.CheckboxSelectMultiple,
        help_text="Every check is needed before you can confirm the placement. Tick each one when it is done: you "
        "can save the checklist and come back. We record who ticked it and when.",
    )
    joining_instructions = NeededToConfirmCharField(
        label="Joining instructions",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Needed before you can confirm. Where to go and when, who to ask for, what to wear and bring. The "
        "student gets these when you confirm the placement.",
    )

    def __init__(self, *args, items: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checks"].choices = list(items.items())

    def ready_to_confirm(self) -> bool:
        """After a valid save: is every check ticked and are there joining instructions? Says what is missing."""
        labels = dict(self.fields["checks"].choices)
        missing = [label for item, label in labels.items() if item not in self.cleaned_data["checks"]]
        if missing:
            self.add_error("checks", CHECKS_NOT_DONE.format(items="; ".join(missing)))
        if not self.cleaned_data["joining_instructions"].strip():
            self.add_error("joining_instructions", NO_JOINING_INSTRUCTIONS)
        return not missing and bool(self.cleaned_data.get("joining_instructions", "").strip())


class HostCancelForm(_OtherNeedsANote, forms.Form):
    other = HostCancelReason.OTHER
    reason = forms.ChoiceField(
        label="Why are you cancelling this place?",
        choices=HostCancelReason.choices,
        widget=forms.RadioSelect,
        help_text="We email the student this reason.",
        error_messages={"required": "Choose why you are cancelling"},
    )
    note = forms.CharField(
        label="Message to the student",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the reason is 'Other'. The student reads this, so write it for them.",
    )


class EndorsementForm(forms.Form):
    strength = forms.TypedChoiceField(
        label="How strongly do you endorse this student?",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (3, "3: strongly: ready and committed"),
            (2, "2: yes"),
            (1, "1: with some reservations"),
            (0, "0: I cannot endorse them yet"),
        ],
        help_text="An endorsement raises the student's priority for placements. Hosts see the strength, not your note.",
        error_messages={"required": "Choose a strength"},
    )
    note = forms.CharField(
        label="Note for your records",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you endorse them, or what they should work on.",
    )


class CompletionForm(forms.Form):
    feedback = forms.CharField(
        label="Short feedback for the student",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What went well, and one thing to work on. The student sees this with their certificate.",
        error_messages={"required": "Write a few words of feedback for the student"},
    )


class StudentInviteForm(forms.Form):
    file = forms.FileField(
        label="CSV file of email addresses",
        help_text="One email address per row, in the first column. A header row 'email' is fine. Up to 1,000 rows. "
        "Anyone already invited is not emailed again.",
        error_messages={"required": "Choose a CSV file to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 1 MB", code="too_big")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be a CSV saved as UTF-8 text", code="encoding") from None
