from django.contrib import admin
from django.db.models import Count, Q

from community import (
    admin_privacy,  # noqa: F401 - registers the privacy tables
    admin_safeguarding,  # noqa: F401 - registers the safeguarding tables
    admin_wellbeing,  # noqa: F401 - registers the wellbeing tables (who and when only)
)
from community.admin_base import ReadOnlyAdmin, ReadOnlyInline, service_action
from community.forms_accounts import AdminLoginForm
from community.models import (
    AuditEntry,
    Group,
    Invitation,
    InvitationRedemption,
    Membership,
    MembershipStatus,
    Notification,
    NotificationPreference,
    ParticipationEntry,
    Profile,
    SiteRole,
    Tie,
    User,
)
from community.services import erasure, groups, invitations, memberships, roles

# The admin's sign-in counts tries like the site's, so it is no way round the login limit.
admin.site.login_form = AdminLoginForm


class ProfileInline(ReadOnlyInline):
    model = Profile
    fields = ["pronouns", "bio", "interests", "profile_visibility", "show_online", "direct_messages"]


def _set_role(role: str):
    return service_action(
        f"Make {SiteRole(role).label.lower()}",
        lambda actor, user: roles.user_set_site_role(actor=actor, user=user, role=role),
    )


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "pronouns", "profile_visibility", "show_online", "direct_messages", "updated_at"]
    list_filter = ["profile_visibility", "show_online", "direct_messages"]
    search_fields = ["user__display_name", "pronouns", "bio"]
    list_select_related = ["user"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = [
        "display_name",
        "email",
        "site_role",
        "is_safeguarding_lead",
        "age_band",
        "is_active",
        "date_joined",
    ]
    list_filter = ["site_role", "is_safeguarding_lead", "age_band", "is_active"]
    search_fields = ["display_name", "email", "real_name"]
    ordering = ["display_name"]
    exclude = ["password", "groups", "user_permissions"]
    inlines = [ProfileInline]
    actions = [
        *(_set_role(role) for role in SiteRole.values),
        service_action(
            "Make safeguarding lead",
            lambda actor, user: roles.user_set_safeguarding_lead(actor=actor, user=user, value=True),
        ),
        service_action(
            "Stop being safeguarding lead",
            lambda actor, user: roles.user_set_safeguarding_lead(actor=actor, user=user, value=False),
        ),
        service_action(
            "Erase account (at the person's request)",
            lambda actor, user: erasure.account_erase(actor=actor, user=user),
        ),
    ]


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "join_policy", "is_listed", "is_archived", "active_members", "created_at"]
    list_filter = ["join_policy", "is_listed", "is_archived"]
    search_fields = ["name", "slug", "description"]
    actions = [service_action("Archive", lambda actor, group: groups.group_archive(actor=actor, group=group))]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_active=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)))
        )

    @admin.display(ordering="_active", description="active members")
    def active_members(self, group):
        return group._active


def _membership_action(description: str, service):
    return service_action(description, lambda actor, m: service(actor=actor, group=m.group, user=m.user))


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "group", "role", "status", "joined_at", "decided_by", "updated_at"]
    list_filter = ["status", "role", "group"]
    search_fields = ["user__display_name", "user__email", "group__name"]
    list_select_related = ["user", "group", "decided_by"]
    actions = [
        _membership_action("Approve request", memberships.membership_approve),
        _membership_action("Decline request", memberships.membership_decline),
        _membership_action("Remove from group", memberships.membership_remove),
        _membership_action("Ban from group", memberships.membership_ban),
        _membership_action("Lift ban", memberships.membership_unban),
        _membership_action("Make peer leader", memberships.membership_promote),
        _membership_action("Stop being peer leader", memberships.membership_demote),
    ]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["code", "group", "created_by", "use_count", "max_uses", "expires_at", "revoked_at", "status"]
    list_filter = ["group"]
    search_fields = ["code", "note", "created_by__display_name"]
    list_select_related = ["group", "created_by"]
    actions = [service_action("Revoke", lambda actor, inv: invitations.invitation_revoke(actor=actor, invitation=inv))]


@admin.register(InvitationRedemption)
class InvitationRedemptionAdmin(ReadOnlyAdmin):
    list_display = ["user", "invitation", "redeemed_at"]
    search_fields = ["user__display_name", "invitation__code"]
    list_select_related = ["user", "invitation"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["user__display_name", "title"]
    list_select_related = ["user"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    search_fields = ["user__display_name"]
    list_select_related = ["user"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id", "group"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_id", "actor__display_name"]
    list_select_related = ["actor", "group"]


@admin.register(ParticipationEntry)
class ParticipationEntryAdmin(ReadOnlyAdmin):
    list_display = ["user", "activity_key", "group", "category", "occurred_at"]
    list_filter = ["category"]
    search_fields = ["activity_key", "user__display_name"]
    list_select_related = ["user", "group"]


@admin.register(Tie)
class TieAdmin(ReadOnlyAdmin):
    list_display = ["user_low", "user_high", "times_met", "first_met_at", "last_met_at"]
    list_select_related = ["user_low", "user_high"]
