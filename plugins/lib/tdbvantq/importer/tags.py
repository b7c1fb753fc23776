"""Tags of an imported story: the movement, and the province of a provincial paper or title."""

from __future__ import annotations

from tdbvantq.text import fold

MOVEMENT_TAG = "Phong trào TDBVANTQ"
_MOVEMENT_MARKERS = ("tdbvantq", "toan dan bao ve an ninh to quoc")

# Provinces and centrally-run cities as the press names them (names before the 2025 merger are
# still used in stories and in the names of provincial papers).
PROVINCES: tuple[str, ...] = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "TP.HCM",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
    "Huế",
)


# Longest names first so "Thừa Thiên Huế" wins over "Huế"; each with its folded name,
# with a space either side: a name matches whole words only (folded once, not on every story).
_PROVINCES_FOLDED: tuple[tuple[str, str, str], ...] = tuple(
    (province, fold(province), f" {fold(province)} ")
    for province in sorted(PROVINCES, key=len, reverse=True)
)


def story_tags(title: str, text: str, source_name: str | None) -> list[str]:
    tags: list[str] = []
    folded_text = fold(f"{title} {text}")
    if any(marker in folded_text for marker in _MOVEMENT_MARKERS):
        tags.append(MOVEMENT_TAG)
    for place_text in (source_name or "", title):
        spaced = f" {' '.join(fold(place_text).replace(',', ' ').split())} "
        for province, folded_province, needle in _PROVINCES_FOLDED:
            if needle in spaced and province not in tags:
                if not any(folded_province in fold(tag) for tag in tags):
                    tags.append(province)
                break
    return tags
