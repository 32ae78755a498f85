from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = "评委会表决"

    def ready(self) -> None:
        # The workflow asks the committee's record whether a vote or deliberation decided a move.
        from awards.workflow import register_evidence

        from .evidence import decided_by_committee

        register_evidence(decided_by_committee)
