"""A province sets up its units and people in bulk: files, dry runs, all-or-nothing, audit,
mergers, set-password links, and the administrator's pages."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from parstat.accounts.bulk import import_users
from parstat.accounts.models import AccountChange, Membership
from parstat.analytics.scope import units_in_scope
from parstat.errors import ParstatError
from parstat.units.bulk import do_merge_units, import_units
from parstat.units.models import OrgUnit, UnitChange
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

UNITS_CSV = """Mã đơn vị;Tên đơn vị;Loại;Đơn vị cấp trên;Hiệu lực từ;Hiệu lực đến;Đơn vị kế thừa;Thư điện tử;Điện thoại
XA-X01;Xã Một;xã;XA;01/07/2025;;;vanthu@x01.example;0299 3822 111
XA;Tỉnh Xa Xôi;Tỉnh, thành phố;;;;;;
XA-SNV;Sở Nội vụ tỉnh Xa Xôi;so noi vu;XA;;;;snv@xaxoi.example;
"""


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_reads_a_unit_file_with_vietnamese_headers_in_any_order(system):
    result = import_units(UNITS_CSV.encode(), "don-vi.csv", acting_user=system)
    assert result.applied and [p.code for p in result.new] == ["XA-X01", "XA", "XA-SNV"]
    commune = OrgUnit.objects.get(code="XA-X01")
    assert (commune.kind, commune.parent.code, commune.valid_from, commune.contact,
            commune.phone) == ("commune", "XA", date(2025, 7, 1), "vanthu@x01.example",
                               "0299 3822 111")
    assert OrgUnit.objects.get(code="XA-SNV").kind == "home_affairs"
    created = UnitChange.objects.filter(unit=commune).get()
    assert (created.kind, created.origin, created.actor) == ("created", "don-vi.csv", "system")


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(system):
    result = import_units(UNITS_CSV.encode(), "don-vi.csv", acting_user=system, dry_run=True)
    assert result.as_dict()["counts"] == {"new": 3, "changed": 0, "unchanged": 0, "refused": 0}
    assert not OrgUnit.objects.filter(code__startswith="XA").exists()
    assert not UnitChange.objects.exists()


def test_importing_the_same_file_again_changes_nothing(system):
    import_units(UNITS_CSV.encode(), "don-vi.csv", acting_user=system)
    again = import_units(UNITS_CSV.encode(), "don-vi.csv", acting_user=system)
    assert again.as_dict()["counts"] == {"new": 0, "changed": 0, "unchanged": 3, "refused": 0}
    assert UnitChange.objects.count() == 3


def test_it_reports_what_changes_field_by_field(system):
    import_units(UNITS_CSV.encode(), "don-vi.csv", acting_user=system)
    data = _xlsx([["code", "name", "kind", "phone"],
                  ["XA-X01", "Xã Một Mới", "commune", "0299 000 000"]])
    result = import_units(data, "sua.xlsx", acting_user=system)
    assert result.as_dict()["changed"] == [{"row": 2, "code": "XA-X01", "changes": {
        "name": ["Xã Một", "Xã Một Mới"], "phone": ["0299 3822 111", "0299 000 000"]}}]
    commune = OrgUnit.objects.get(code="XA-X01")
    assert commune.parent.code == "XA"  # a column the file leaves out is left as it is
    assert UnitChange.objects.filter(unit=commune, kind="changed").get().detail == {
        "name": ["Xã Một", "Xã Một Mới"], "phone": ["0299 3822 111", "0299 000 000"]}


def test_one_bad_row_refuses_the_whole_file_naming_every_refusal(system):
    bad = UNITS_CSV + "XA-X02;Xã Hai;quận nội thành;XA;;;;;\nXA-X03;Xã Ba;xã;NOWHERE;;;;;\n" \
                      "XA-X01;Lặp lại;xã;XA;;;;;\nXA-X04;Xã Bốn;xã;XA;01/07/2025;30/06/2025;;;\n"
    result = import_units(bad.encode(), "sai.csv", acting_user=system)
    assert not result.applied
    assert [(r.row, r.error.code) for r in result.refused] == [
        (5, "units.bad_kind"), (6, "units.unknown_link"), (7, "units.repeated"),
        (8, "units.bad_validity")]
    assert "NOWHERE" in result.refused[1].error.message
    assert not OrgUnit.objects.filter(code__startswith="XA").exists()


def test_it_refuses_a_parent_chain_that_loops(system):
    import_units(UNITS_CSV.encode(), "don-vi.csv", acting_user=system)
    loop = "code,name,kind,parent\nXA,Tỉnh Xa Xôi,province,XA-SNV\n"
    result = import_units(loop.encode(), "vong.csv", acting_user=system)
    assert [r.error.code for r in result.refused] == ["units.cycle"]
    assert OrgUnit.objects.get(code="XA").parent is None


@pytest.mark.parametrize(("content", "code"), [
    (b"ma;ten\nA;B\n", "records.missing_column"),
    (b"code;name;kind;colour\nA;B;xa;red\n", "records.unknown_column"),
    (b"code;name;kind\n", "records.empty"),
])
def test_it_refuses_a_file_whose_columns_it_cannot_read(system, content, code):
    with pytest.raises(ParstatError) as refused:
        import_units(content, "x.csv", acting_user=system)
    assert refused.value.code == code


def test_a_merger_closes_the_old_units_and_counts_them_under_the_successor(system, units):
    import_units(UNITS_CSV.encode(), "don-vi.csv", acting_user=system)
    two = import_units(b"code,name,kind,parent,valid_from\nXA-X02,X\xc3\xa3 Hai,xa,XA,"
                       b"01/07/2025\nXA-X12,X\xc3\xa3 M\xe1\xbb\x99t Hai,xa,XA,01/01/2026\n",
                       "them.csv", acting_user=system)
    assert two.applied
    old = list(OrgUnit.objects.filter(code__in=["XA-X01", "XA-X02"]).order_by("code"))
    new = OrgUnit.objects.get(code="XA-X12")
    changes = do_merge_units(old, new, date(2026, 1, 1), acting_user=system)
    assert [c.detail for c in changes] == [
        {"valid_to": [None, "2025-12-31"], "successor": [None, "XA-X12"]}] * 2
    closed = OrgUnit.objects.get(code="XA-X01")
    assert (closed.valid_to, closed.successor.code) == (date(2025, 12, 31), "XA-X12")
    assert {u.code for u in OrgUnit.objects.filter(
        pk__in=units_in_scope(new, today=True))} == {"XA-X01", "XA-X02", "XA-X12"}
    with pytest.raises(ParstatError) as refused:
        do_merge_units([closed], OrgUnit.objects.get(code="XA-SNV"), date(2026, 1, 1),
                       acting_user=system)
    assert refused.value.code == "units.already_merged"


def test_the_command_line_imports_and_merges(system, tmp_path, capsys):
    path = tmp_path / "don-vi.csv"
    path.write_text(UNITS_CSV, encoding="utf-8")
    call_command("units", "import", str(path), "--dry-run")
    assert "3 mới" in capsys.readouterr().out and not OrgUnit.objects.filter(code="XA").exists()
    call_command("units", "import", str(path))
    call_command("units", "merge", "XA-X01", "--into", "XA-SNV", "--on", "01/01/2026")
    assert OrgUnit.objects.get(code="XA-X01").successor.code == "XA-SNV"
    with pytest.raises(SystemExit) as failed:
        bad = tmp_path / "sai.csv"
        bad.write_text("code,name,kind\nXA,,province\n", encoding="utf-8")
        call_command("units", "import", str(bad))
    assert failed.value.code == 1 and "units.bad_name" in capsys.readouterr().out


# ------------------------------------------------------------------- people

PEOPLE_CSV = """Tên đăng nhập,Họ và tên,Thư điện tử,Mã đơn vị,Vai trò
nguyenvana,Nguyễn Văn A,vana@x01.example,XA-X01,reporter
nguyenvana,,,XA-SNV,Chỉ xem
tranthib,Trần Thị B,,XA-SNV,Cơ quan tổng hợp
"""


@pytest.fixture
def province(system):  # type: ignore[no-untyped-def]
    import_units(UNITS_CSV.encode(), "don-vi.csv", acting_user=system)


def test_it_creates_people_without_passwords_and_mails_each_a_link(province, system):
    result = import_users(PEOPLE_CSV.encode(), "nguoi.csv", acting_user=system)
    assert result.applied and result.as_dict()["counts"] == {
        "new": 2, "changed": 0, "unchanged": 0, "roles_added": 3, "refused": 0}
    user = get_user_model().objects.get(username="nguyenvana")
    assert not user.has_usable_password() and user.first_name == "Nguyễn Văn A"
    assert set(Membership.objects.filter(user=user).values_list("unit__code", "role")) == {
        ("XA-X01", "reporter"), ("XA-SNV", "viewer")}
    assert [m.to for m in mail.outbox] == [["vana@x01.example"]]
    assert result.no_address == ["tranthib"] and "tranthib" in result.links  # handed over
    kinds = sorted(AccountChange.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == ["created", "link_sent", "role_added", "role_added"]


def test_the_mailed_link_sets_a_password_once(province, system, client):
    import_users(PEOPLE_CSV.encode(), "nguoi.csv", acting_user=system)
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0).replace(
        "http://127.0.0.1:8000", "")
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "nguyenvana" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD,
                                                     "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("web:login")
    assert client.login(username="nguyenvana", password=PASSWORD)
    client.logout()
    assert "đã dùng hoặc đã hết hạn" in client.get(link, follow=True).content.decode()


def test_print_links_mails_nothing(province, system):
    result = import_users(PEOPLE_CSV.encode(), "nguoi.csv", acting_user=system,
                          print_links=True)
    assert sorted(result.links) == ["nguyenvana", "tranthib"] and mail.outbox == []


def test_a_bad_people_row_refuses_the_whole_file(province, system):
    bad = PEOPLE_CSV + "le van c,Lê Văn C,,XA,reporter\nnguyenvana,Người Khác,,XA,reporter\n"
    result = import_users(bad.encode(), "sai.csv", acting_user=system)
    assert [(r.row, r.error.code) for r in result.refused] == [
        (5, "users.bad_username"), (6, "users.disagreeing_rows")]
    assert not get_user_model().objects.filter(username="nguyenvana").exists()
    assert mail.outbox == []


def test_a_second_import_adds_roles_and_never_removes_one(province, system):
    import_users(PEOPLE_CSV.encode(), "nguoi.csv", acting_user=system)
    more = "username,unit,role\nnguyenvana,XA,approver\n"
    result = import_users(more.encode(), "them.csv", acting_user=system)
    assert result.as_dict()["counts"]["roles_added"] == 1 and result.new == []
    assert Membership.objects.filter(user__username="nguyenvana").count() == 3


# ------------------------------------------------------------------- pages

def test_the_administrator_previews_then_applies_a_unit_file(sign_in):
    client = sign_in("admin")
    url = reverse("web:registry_import", args=["units"])
    upload = io.BytesIO(UNITS_CSV.encode())
    upload.name = "don-vi.csv"
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200 and "Xem trước" in preview.content.decode()
    assert not OrgUnit.objects.filter(code="XA").exists()
    sha = re.search(r'name="sha256" value="([0-9a-f]+)"', preview.content.decode()).group(1)
    applied = client.post(url, {"sha256": sha})
    assert applied.status_code == 200 and OrgUnit.objects.filter(code="XA").exists()
    assert UnitChange.objects.filter(unit__code="XA").get().actor == "admin"


def test_a_refused_file_on_the_page_lists_its_rows(sign_in):
    upload = io.BytesIO(b"code,name,kind\nXA,,province\n")
    upload.name = "sai.csv"
    response = sign_in("admin").post(reverse("web:registry_import", args=["units"]),
                                     {"file": upload})
    assert response.status_code == 422 and "registry-apply" not in response.content.decode()


@pytest.mark.parametrize("persona", ["reporter", "consolidator"])
def test_only_the_administrator_imports_registries(sign_in, persona):
    response = sign_in(persona).get(reverse("web:registry_import", args=["users"]))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_the_profile_lists_roles_and_changes_the_password(sign_in):
    client = sign_in("consolidator")
    page = client.get(reverse("web:profile"))
    assert page.status_code == 200 and "Tỉnh Sóc Trăng (ST)" in page.content.decode()
    changed = client.post(reverse("web:profile"), {
        "old_password": PASSWORD, "new_password1": "mot-mat-khau-moi-7",
        "new_password2": "mot-mat-khau-moi-7"})
    assert changed.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200  # still signed in
    wrong = client.post(reverse("web:profile"), {
        "old_password": "sai", "new_password1": "x", "new_password2": "x"})
    assert wrong.status_code == 400
