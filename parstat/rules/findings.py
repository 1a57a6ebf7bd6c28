"""What a validation rule says about one report."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from parstat.reporting.values import BLANK_WORD

# The messages parstat words itself (formula rows, kind checks), keyed by their code; a template's
# own rules bring their message as data (Vietnamese, from the template), shown as it is. Each
# is said when shown, in the reader's language, from the finding's ``params``; a blank value in
# them is written "{blank}" and said too. Placeholders are str.format fields.
TEXTS: dict[str, Promise] = {
    "formula": pgettext_lazy("finding.formula", "{code} = {typed}, nhưng {formula} = {result}"),
    "kind.unstorable": pgettext_lazy(
        "finding.kind.unstorable",
        "Chỉ tiêu {code} ({label}): giá trị {value} vượt quá {digits} chữ số hoặc {decimals} chữ "
        "số thập phân mà hệ thống lưu chính xác; hãy nhập lại."),
    "kind.percent_range": pgettext_lazy(
        "finding.kind.percent_range",
        "Chỉ tiêu {code} ({label}): tỷ lệ {value}% nằm ngoài khoảng 0–100."),
    "kind.count": pgettext_lazy(
        "finding.kind.count",
        "Chỉ tiêu {code} ({label}): số đếm phải là số nguyên không âm, nhận {value}."),
    "kind.not_in_choices": pgettext_lazy(
        "finding.kind.not_in_choices",
        "Chỉ tiêu {code} ({label}): giá trị {value} không thuộc danh sách ({choices})."),
}


def said(text: str, params: tuple[tuple[str, str], ...]) -> str:
    """Message ``text`` of :data:`TEXTS` with ``params``, in the active language."""
    blank = str(BLANK_WORD)
    return str(TEXTS[text]).format(**{k: v.replace("{blank}", blank) for k, v in params})


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's code in the template, e.g. "R07", or "kind:I.1" for a kind check
    severity: str  # "error" | "warning"
    message: str  # Vietnamese, values filled in (what is stored and what the API's message is)
    codes: tuple[str, ...] = field(default_factory=tuple)  # indicators the rule reads
    left: Decimal | None = None
    right: Decimal | None = None
    # When parstat words the message: its code in TEXTS and what fills it (then ``message`` is
    # its Vietnamese); "" for a template rule's own message.
    text: str = ""
    params: tuple[tuple[str, str], ...] = ()
    # What the message is said of, before it (a unit's code in a consolidation); ``message``
    # already carries it.
    where: str = ""

    @classmethod
    def worded(cls, text: str, params: dict[str, str], **fields: object) -> Finding:
        """A finding whose message parstat words: :data:`TEXTS` ``text`` with ``params``."""
        pairs = tuple(params.items())
        with translation.override("vi"):
            message = said(text, pairs)
        return cls(message=message, text=text, params=pairs, **fields)  # type: ignore[arg-type]

    @property
    def localized(self) -> str:
        """The message in the active language (the request's): a template rule's own message
        as it is, parstat's words in the reader's language."""
        if self.text not in TEXTS:
            return self.message  # data, "where" included (see exports/consolidated.py)
        text = said(self.text, self.params)
        return f"{self.where}: {text}" if self.where else text

    @property
    def message_en(self) -> str:
        with translation.override("en"):
            return self.localized

    def as_dict(self, *, english: bool = False) -> dict[str, object]:
        """As exports and ``parstat check`` give it (the Vietnamese message); ``english``: with
        ``message_en`` too, as errors are (``ParstatError.as_dict``), for the API and the
        import preview, which answer a person."""
        out: dict[str, object] = {"rule": self.rule, "severity": self.severity,
                                  "message": self.message, "codes": list(self.codes)}
        if english:
            out["message_en"] = self.message_en
        return out

    def stored(self) -> dict[str, object]:
        """What ``Report.findings`` keeps of it (see ``checks.decoded_findings``): data and the
        Vietnamese message, never a translation."""
        extra = {"text": self.text, "params": dict(self.params)} if self.text else {}
        return {**self.as_dict(), **extra,
                "left": None if self.left is None else str(self.left),
                "right": None if self.right is None else str(self.right)}
