"""The 2025 administrative map: 34 provinces, 3,321 communes, looked up by code and by name."""

from __future__ import annotations

from catalog import geography

PROVINCE_CODES = ["01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37",
                  "38", "40", "42", "44", "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82",
                  "86", "91", "92", "96"]


def test_the_map_has_the_34_provinces_and_3321_communes_of_2025() -> None:
    provinces = geography.provinces()
    assert [p.code for p in provinces] == PROVINCE_CODES
    communes = geography.communes()
    assert len(communes) == 3321
    assert len({c.code for c in communes}) == 3321
    assert all(len(c.code) == 5 and c.code.isdigit() for c in communes)
    assert sum(len(geography.communes(p.code)) for p in provinces) == 3321
    assert {c.kind for c in communes} == {"xã", "phường", "đặc khu"}


def test_a_province_by_code_and_by_folded_name() -> None:
    quang_tri = geography.province("44")
    assert quang_tri is not None
    assert (quang_tri.name, quang_tri.short_name, quang_tri.full_name) == ("Quảng Trị", "Quảng Trị", "Tỉnh Quảng Trị")
    assert geography.province_named("quang tri") == quang_tri
    assert geography.province_named("TỈNH QUẢNG TRỊ") == quang_tri
    hanoi = geography.province("1")  # read as 01
    assert hanoi is not None and hanoi.full_name == "Thành phố Hà Nội" and hanoi.short_name == "Hà Nội"
    assert geography.province_named("ha noi") == hanoi == geography.province_named("Thành phố Hà Nội")
    assert geography.province("02") is None and geography.province_named("Quảng Bình") is None  # merged in 2025


def test_a_commune_by_code_and_by_folded_name() -> None:
    dong_ha = geography.commune("19333")
    assert dong_ha is not None
    assert (dong_ha.name, dong_ha.kind, dong_ha.short_name, dong_ha.province_code) == (
        "Phường Đông Hà", "phường", "Đông Hà", "44")
    assert dong_ha in geography.communes("44")
    for typed in ("dong ha", "ĐÔNG HÀ", "Phường Đông Hà", "phuong dong ha"):
        assert geography.commune_named(typed, "44") == dong_ha, typed
    assert geography.communes_named("dong ha") == [dong_ha]
    assert geography.communes_named("xa dong ha") == []  # the kind, when given, must match
    assert geography.commune("99999") is None and geography.commune("") is None
    # a name many provinces share is ambiguous without its province
    shared = geography.communes_named("Tân An")
    assert len(shared) > 1 and geography.commune_named("Tân An") is None
    assert all(geography.commune_named("tan an", c.province_code) in shared for c in shared
               if len([s for s in shared if s.province_code == c.province_code]) == 1)


def test_the_communes_of_a_province_are_listed_by_name() -> None:
    from catalog.text import fold

    names = [c.short_name for c in geography.communes("44")]
    assert names == sorted(names, key=fold) and "Đông Hà" in names
    assert geography.communes("00") == []
