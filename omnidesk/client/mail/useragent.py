"""The browser and operating system a web chat visitor uses, read from the User-Agent their browser sent.

Only the common desktop and mobile browsers are named; anything else reads as None (the panel then shows the raw
string in its tooltip). Order matters: Edge, Opera, Yandex and Samsung also say "Chrome", Chrome also says "Safari".
"""

from __future__ import annotations

import re

_BROWSERS = (
    ("Edge", r"Edg(?:e|A|iOS)?/(\d+)"),
    ("Opera", r"(?:OPR|Opera)/(\d+)"),
    ("Yandex Browser", r"YaBrowser/(\d+)"),
    ("Samsung Internet", r"SamsungBrowser/(\d+)"),
    ("Firefox", r"(?:Firefox|FxiOS)/(\d+)"),
    ("Chrome", r"(?:Chrome|CriOS)/(\d+)"),
    ("Safari", r"Version/(\d+)(?:\.\d+)*(?: Mobile/\S+)? Safari/"),
)


def browser(user_agent: str | None) -> str | None:
    """ "Firefox 133", "Chrome 131", or None."""
    for name, pattern in _BROWSERS:
        found = re.search(pattern, user_agent or "")
        if found:
            return f"{name} {found.group(1)}"
    return None


def operating_system(user_agent: str | None) -> str | None:
    """ "Windows 10/11", "macOS 10.15", "Android 14", "iOS 17.2", "Linux", or None."""
    ua = user_agent or ""
    if found := re.search(r"Windows NT (\d+\.\d+)", ua):
        names = {"10.0": "10/11", "6.3": "8.1", "6.2": "8", "6.1": "7"}
        return f"Windows {names.get(found.group(1), found.group(1))}"
    if found := re.search(r"(?:iPhone|CPU) OS (\d+)[_.](\d+)", ua):
        return f"iOS {found.group(1)}.{found.group(2)}"
    if found := re.search(r"Android (\d+(?:\.\d+)?)", ua):
        return f"Android {found.group(1)}"
    if found := re.search(r"Mac OS X (\d+)[_.](\d+)", ua):
        return f"macOS {found.group(1)}.{found.group(2)}"
    if "CrOS" in ua:
        return "ChromeOS"
    if "Linux" in ua:
        return "Linux"
    return None
