from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Chat and moderation"

    def ready(self) -> None:
        from community.notification_kinds import register_kind

        register_kind("direct_request", "Someone would like to start a conversation with you")
        # Moderation (messaging/services/moderation/): a kind notice to a person, and overdue items for moderators.
        register_kind("moderation_notice", "A message from the moderators about your account", email_by_default=True)
        register_kind(
            "moderation_escalation",
            "Reports and safeguarding concerns waiting too long (moderators)",
            email_by_default=True,
            safety_critical=True,
        )
        register_kind("report_outcome", "What happened after you reported something")
