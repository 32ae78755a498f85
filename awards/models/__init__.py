from .applications import Application, ApplicationEvent, ApplicationFile, GeneratedDocument, ReminderSent
from .cycles import AwardCycle, CycleQuota
from .history import PastOutcome
from .organizations import DECLARATION_FACTS, Certification, Organization, Sector

__all__ = [
    "DECLARATION_FACTS",
    "Application",
    "ApplicationEvent",
    "ApplicationFile",
    "AwardCycle",
    "Certification",
    "CycleQuota",
    "GeneratedDocument",
    "Organization",
    "PastOutcome",
    "ReminderSent",
    "Sector",
]
