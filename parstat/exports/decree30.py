"""The fixed words of a Decree 30/2020/NĐ-CP document, one home for the .docx and .pdf writers
and for parstat.narrative.document, which fills in the rest."""

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # Quốc hiệu
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # Tiêu ngữ
DRAFT_MARK = "DỰ THẢO"  # on every document not accepted yet
UNSET = "……"  # printed where a fact is not given yet: never guessed
SIGNATURE_HINT = "(Ký, ghi rõ họ tên, đóng dấu)"
RECIPIENTS = "Nơi nhận:"
