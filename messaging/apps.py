from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Chat and moderation"

    def ready(self) -> None:
        from community.notification_kinds import register_kind

        register_kind("direct_request", "Someone would like to start a conversation with you")
        register_kind("report_outcome", "What happened after you reported something")
