from community import permissions


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_unread_count": user.notifications.filter(read_at__isnull=True).count(),
        "nav_can_invite": permissions.can_invite_anywhere(user),
    }
