"""What a validation rule says about one report."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's code in the template, e.g. "R07", or "kind:I.1" for a kind check
    severity: str  # "error" | "warning"
    message: str  # Vietnamese, values filled in
    codes: tuple[str, ...] = field(default_factory=tuple)  # indicators the rule reads
    left: Decimal | None = None
    right: Decimal | None = None

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "codes": list(self.codes)}
