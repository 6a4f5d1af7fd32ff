"""Site admin: the record of two-factor changes, and the page where a site admin resets someone's factor.

django-otp registers its TOTP devices here; that page would show each person's secret and QR code to admins,
so it is removed: a site admin can only reset a factor, never see or copy one.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_guards import GuardedAdminMixin, ReadOnlyAdminMixin
from accounts.models import Role, User
from accounts.second_factor.models import SecondFactorEvent
from accounts.second_factor.services import has_second_factor, second_factor_required, second_factor_reset

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


def is_site_admin(user) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.ADMIN)


class ResetFindForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the person who lost their phone",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = User.objects.filter(email=email).first()
        if person is None:
            raise forms.ValidationError("There is no account with this email address")
        if not second_factor_required(person):
            raise forms.ValidationError("This person does not use two-factor sign-in")
        if not has_second_factor(person):
            raise forms.ValidationError("This person has not set up two-factor sign-in, so there is nothing to reset")
        self.person = person
        return email


@admin.register(SecondFactorEvent)
class SecondFactorEventAdmin(ReadOnlyAdminMixin, GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["at", "kind", "person", "actor"]
    list_filter = ["kind"]
    list_select_related = ["person", "actor"]
    search_fields = ["person__email", "actor__email"]
    date_hierarchy = None
    change_list_template = "admin/second_factor/secondfactorevent/change_list.html"

    def has_module_permission(self, request):
        return is_site_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_site_admin(request.user)

    def get_urls(self):
        return [
            path("reset/", self.admin_site.admin_view(self.reset_view), name="second_factor_reset"),
            *super().get_urls(),
        ]

    def reset_view(self, request):
        """Find the person by email, confirm, reset (their devices go, the change is recorded, they are emailed)."""
        if not is_site_admin(request.user):
            raise PermissionDenied
        confirm = request.method == "POST" and "confirm" in request.POST
        form = ResetFindForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            person = form.person
            if person.pk == request.user.pk:
                form.add_error("email", "You cannot reset your own two-factor sign-in: ask another site admin")
            elif confirm:
                second_factor_reset(actor=request.user, person=person)
                messages.success(
                    request,
                    f"Two-factor sign-in reset for {person.email}. They have been emailed and will set up "
                    "their authenticator app again the next time they sign in.",
                )
                return redirect(reverse("admin:second_factor_secondfactorevent_changelist"))
            else:
                context = {
                    **self.admin_site.each_context(request),
                    "person": person,
                    "title": "Reset two-factor sign-in",
                }
                return TemplateResponse(request, "admin/second_factor/reset_confirm.html", context)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Reset someone's two-factor sign-in",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/second_factor/reset.html", context)
