"""`manage.py seed_demo`: a believable demo community, made through the same services people use. Idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from community import demo_data as demo
from community.models import AgeBand, Group, Invitation, JoinPolicy, Membership, SiteRole, User
from community.services.accounts import account_sign_up
from community.services.groups import group_create
from community.services.invitations import invitation_create
from community.services.memberships import membership_join, membership_promote
from community.services.policies import policies_accept_current
from community.services.roles import user_set_site_role


class Command(BaseCommand):
    help = "Create the demo community (about 40 members, leaders, moderators, staff, an evaluator and 4 groups)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if anybody has an account already.")

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has people in it, so the demo community was not added.")
            return
        with transaction.atomic():
            staff = self._staff()
            groups = [self._group(staff, spec) for spec in demo.GROUPS]
            invitations = {}
            for local, name in [demo.EVALUATOR, *demo.MODERATORS]:
                role = SiteRole.EVALUATOR if local == demo.EVALUATOR[0] else SiteRole.MODERATOR
                self._non_member(staff, local, name, role)
            for local, name, group_indexes, leads in demo.LEADERS:
                person = self._member(staff, groups, invitations, local, name, group_indexes, index=0)
                membership_promote(actor=staff, group=groups[leads], user=person)
            for position, name in enumerate(demo.MEMBER_NAMES):
                first = position % len(groups)
                also = [(first + 1) % len(groups)] if position % 3 == 0 else []
                self._member(staff, groups, invitations, f"member{position + 1:02d}", name, [first, *also], position)
            # Other apps add their demo data (events, chat) through seeders named in settings, so community never
            # imports them.
            for seeder in settings.HN_DEMO_SEEDERS:
                import_string(seeder)(staff=staff)
        self._print_logins()

    def _staff(self) -> User:
        local, name = demo.STAFF
        staff = User.objects.filter(email=demo.demo_email(local)).first()
        if staff is None:  # the first staff member has nobody to appoint them, as with createsuperuser
            staff = User.objects.create_user(
                email=demo.demo_email(local), password=demo.DEMO_PASSWORD, display_name=name, site_role=SiteRole.STAFF
            )
            policies_accept_current(actor=staff)
        return staff

    def _group(self, staff: User, spec: dict) -> Group:
        existing = Group.objects.filter(name=spec["name"]).first()
        return existing or group_create(actor=staff, **spec)

    def _non_member(self, staff: User, local: str, name: str, role: str) -> User:
        person = User.objects.filter(email=demo.demo_email(local)).first()
        if person is None:
            person = User.objects.create_user(
                email=demo.demo_email(local), password=demo.DEMO_PASSWORD, display_name=name
            )
            policies_accept_current(actor=person)
        return user_set_site_role(actor=staff, user=person, role=role)

    def _member(self, staff, groups, invitations, local, name, group_indexes, index) -> User:
        person = User.objects.filter(email=demo.demo_email(local)).first()
        if person is None:
            first_group = groups[group_indexes[0]]
            if first_group.pk not in invitations:
                invitations[first_group.pk] = invitation_create(
                    actor=staff, group=first_group, max_uses=100, note="Demo community"
                )
            person = account_sign_up(
                code=invitations[first_group.pk].code,
                display_name=name,
                email=demo.demo_email(local),
                password=demo.DEMO_PASSWORD,
                age_band=AgeBand.UNDER_18 if index % 5 == 4 else AgeBand.ADULT,
                is_care_experienced=True,
                accepts_agreement=True,
            )
        for group in (groups[i] for i in group_indexes[1:]):
            if group.join_policy != JoinPolicy.INVITE:
                membership_join(actor=person, group=group)
        return person

    def _print_logins(self) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("The demo community is ready. Every demo password is: " + demo.DEMO_PASSWORD))
        rows = [("staff", demo.STAFF[0]), ("evaluator", demo.EVALUATOR[0])]
        rows += [("moderator", local) for local, _ in demo.MODERATORS]
        rows += [("peer leader", local) for local, *_ in demo.LEADERS]
        rows += [("member", "member01"), ("member", "member02")]
        for role, local in rows:
            out.write(f"  {role:<12} {demo.demo_email(local)}")
        members = User.objects.filter(site_role=SiteRole.MEMBER).count()
        leaders = Membership.objects.leaders().values("user").distinct().count()
        out.write(
            f"  ({members} members, {leaders} of them peer leaders, {Group.objects.count()} groups, "
            f"{Invitation.objects.count()} invitation codes; member01 to member40 all work)"
        )
