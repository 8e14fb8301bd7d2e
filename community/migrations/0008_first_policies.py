"""Version 1 of the community agreement and the privacy notice, and the agreement acceptances people already gave at
sign-up (before acceptances were versioned). Later versions are published by staff (docs/privacy.md)."""

from django.db import migrations

AGREEMENT_SUMMARY = "Here and Now is for all of us. These are the things we agree on, so everyone can feel safe and welcome."
AGREEMENT_BODY = """## Be kind
Treat people the way you'd like to be treated. Everyone's story is different, and nobody has to explain theirs. No bullying, hate or put-downs.

## Keep each other safe
If you're worried about someone, or about yourself, tell a moderator or a member of staff. You won't be in trouble for asking for help.

## What's private stays private
What people share here stays here. Don't screenshot or pass on what others say.

## Don't share other people's details
Never share someone else's name, address, phone number, school, college, placement or photos. Be careful with your own details too.

## Moderators are here to help
Moderators and staff look after the spaces. They may hide messages or pause accounts to keep people safe, and they'll tell you why.

## How to report something
If something doesn't feel right, use the "Report" option on a message, a person or an event. A moderator will look at it. You can also block or mute anyone.

## You can leave any time
You can leave a group, take a break or delete your account whenever you want. It's always your choice.

If you need to talk to someone right now, you can call Samaritans free on 116 123, any time."""

PRIVACY_SUMMARY = (
    "We keep as little about you as we can, we never sell it or show you adverts, and you can see it, download it "
    "or delete it whenever you like."
)
PRIVACY_BODY = """## Who we are
Here and Now is run by a charity and a local council together. They decide what happens to your information, and they are responsible for keeping it safe.

## What we keep
Your email address, the name you choose, your age band (16–17 or 18–25, never your birthday), your profile, your groups, the events you go to, the messages you write, and anything you choose to tell us, like wellbeing check-ins or your goals. The page "What we keep about you" lists every part.

## Why we keep it
So the app works for you: so you can log in, join groups, go to events and chat. To keep everyone safe: moderators can see messages that are reported. And, only if you say yes, to count you (never by name) in figures that show whether the programme helps.

## Who can see it
People in your groups see your name and profile. Moderators see messages when they need to keep people safe. Staff can see your real name if you gave it. Evaluators only ever see totals, never a name or a message.

## No tracking
No adverts, no trackers, no analytics companies. Nothing on this site loads from anywhere else.

## If you're under 18
Your settings stay extra private: only people in your groups can see your profile or message you.

## How long we keep it
Chat messages are deleted after a set time. Notifications and old downloads are deleted too. If someone was worried about your safety, we keep a record for longer, because the law asks us to.

## Your rights
You can download a copy of everything, correct it, say no to being counted, or delete your account, all from "Your data" in your settings. If you're not happy with how we use your information, talk to a member of staff, or contact the Information Commissioner's Office (ico.org.uk, 0303 123 1113)."""


def add_first_versions(apps, schema_editor):
    PolicyDocument = apps.get_model("community", "PolicyDocument")
    PolicyAcceptance = apps.get_model("community", "PolicyAcceptance")
    User = apps.get_model("community", "User")
    agreement = PolicyDocument.objects.create(
        kind="agreement", version=1, title="Our community agreement", summary=AGREEMENT_SUMMARY, body=AGREEMENT_BODY
    )
    PolicyDocument.objects.create(
        kind="privacy", version=1, title="Our privacy notice", summary=PRIVACY_SUMMARY, body=PRIVACY_BODY
    )
    PolicyAcceptance.objects.bulk_create(
        PolicyAcceptance(user_id=user_id, document=agreement, accepted_at=accepted_at)
        for user_id, accepted_at in User.objects.filter(agreement_accepted_at__isnull=False).values_list(
            "pk", "agreement_accepted_at"
        )
    )


def remove_first_versions(apps, schema_editor):
    PolicyDocument = apps.get_model("community", "PolicyDocument")
    PolicyAcceptance = apps.get_model("community", "PolicyAcceptance")
    PolicyAcceptance.objects.filter(document__version=1).delete()
    PolicyDocument.objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0007_privacy")]

    operations = [migrations.RunPython(add_first_versions, remove_first_versions)]
