"""The whole schema: imports every feature's tables so ``Base.metadata`` is complete (Alembic and tests use it).

Each feature keeps its tables in its own ``models.py``; they share one declarative base (``db/base.py``). Nothing
else needs this module: a feature imports the models it uses directly.
"""

from __future__ import annotations

from omnidesk.server.admin import models as admin_models
from omnidesk.server.analytics import models as analytics_models
from omnidesk.server.attachments import models as attachment_models
from omnidesk.server.audit import models as audit_models
from omnidesk.server.auth import models as auth_models
from omnidesk.server.auth_ldap import models as auth_ldap_models
from omnidesk.server.canned import models as canned_models

# E-mail, web chat and forms (issue 13)
from omnidesk.server.channels import models as channel_models
from omnidesk.server.conversations import models as conversation_models
from omnidesk.server.csat import models as csat_models
from omnidesk.server.customers import models as customer_models
from omnidesk.server.db.base import Base
from omnidesk.server.duplicates import models as duplicate_models
from omnidesk.server.email import models as email_models
from omnidesk.server.events import models as event_models
from omnidesk.server.forms import models as form_models
from omnidesk.server.merge import models as merge_models
from omnidesk.server.notes import models as note_models
from omnidesk.server.outbox import models as outbox_models
from omnidesk.server.permissions import models as permission_models
from omnidesk.server.presence import models as presence_models
from omnidesk.server.queues import models as queue_models
from omnidesk.server.retention import models as retention_models
from omnidesk.server.routing import models as routing_models
from omnidesk.server.search.models import OUTSIDE_ORM as SEARCH_OUTSIDE_ORM
from omnidesk.server.sla import models as sla_models
from omnidesk.server.timeline import models as timeline_models
from omnidesk.server.users import models as user_models
from omnidesk.server.webchat import models as webchat_models

FEATURE_MODELS = (
    admin_models,
    attachment_models,
    audit_models,
    auth_models,
    channel_models,
    auth_ldap_models,
    conversation_models,
    csat_models,
    customer_models,
    duplicate_models,
    event_models,
    merge_models,
    outbox_models,
    permission_models,
    queue_models,
    sla_models,
    retention_models,
    timeline_models,
    user_models,
    canned_models,
    note_models,
    presence_models,
    routing_models,
    email_models,
    form_models,
    webchat_models,
    analytics_models,
)

# Schema objects that migrations make outside the ORM (search indexes, SQLite's FTS5 tables): not in Base.metadata.
OUTSIDE_ORM = SEARCH_OUTSIDE_ORM

__all__ = ["FEATURE_MODELS", "OUTSIDE_ORM", "Base"]
