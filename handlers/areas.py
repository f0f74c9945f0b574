"""Every area of the app, registered in order (each module has `register(app, services, routers)`)."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import (
    admin,
    admin_announce,
    admin_audit,
    admin_coordinators,
    admin_faq,
    admin_fixes,
    admin_match,
    admin_people,
    admin_programs,
    admin_stats,
    change,
    direct_messages,
    faq,
    feedback,
    goals,
    help,
    home,
    meetings,
    mentor,
    my_data,
    nudges,
    profile,
    scheduling,
)
from handlers.routing import Routers

AREAS = (
    mentor,
    help,
    home,
    faq,
    profile,
    goals,
    meetings,
    scheduling,
    change,
    my_data,
    nudges,
    feedback,
    admin,
    admin_coordinators,
    admin_faq,
    admin_match,
    admin_fixes,
    admin_people,
    admin_programs,
    admin_stats,
    admin_announce,
    admin_audit,
    direct_messages,
)


def register_all(app: App, services: Services) -> None:
    """Register every area; the `/mentor` and `/mentor admin` subcommand routers are shared by them."""
    routers = Routers.sharing(services.followups)
    for area in AREAS:
        area.register(app, services, routers)
