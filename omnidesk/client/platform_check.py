"""What the desktop client needs from the workstation before Qt starts, said in words instead of a Qt abort.

On Linux with X11 (Qt's xcb platform) Qt 6 needs a few XCB libraries that a plain Debian/Ubuntu desktop may lack; Qt
then aborts with a cryptic "could not load the Qt platform plugin" (exit code 250 or a core dump). Without any display
at all it aborts the same way. `problems()` finds both first. Standard library only (runs before PySide6 loads).
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

__all__ = ["XCB_LIBRARIES", "missing_libraries", "problems"]

# library name for ctypes.util.find_library -> the Debian/Ubuntu package that ships it
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def _platform(env: Mapping[str, str]) -> str:
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if chosen:
        return chosen
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return "wayland"
    return "xcb"


def missing_libraries(find: Callable[[str], str | None] = ctypes.util.find_library) -> list[str]:
    """Debian packages of the XCB libraries Qt's xcb platform needs and this system lacks."""
    return [package for library, package in XCB_LIBRARIES.items() if not find(library)]


def problems(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    find: Callable[[str], str | None] = ctypes.util.find_library,
) -> list[str]:
    """Sentences saying why the client cannot start here (empty: it can)."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return []
    qpa = _platform(env)
    if qpa in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return []
    found: list[str] = []
    if qpa == "xcb" and not env.get("DISPLAY"):
        found.append(
            "There is no display here (DISPLAY is not set). Run the client in a desktop session; "
            "for the server and live traffic without a window use 'omnidesk demo --headless'."
        )
        return found
    if qpa == "wayland" and not env.get("WAYLAND_DISPLAY"):
        found.append("There is no Wayland display here (WAYLAND_DISPLAY is not set).")
        return found
    if qpa == "xcb":
        missing = missing_libraries(find)
        if missing:
            found.append(
                "The desktop client needs system libraries that are not installed: "
                + ", ".join(missing)
                + ". Install them with: sudo apt install "
                + " ".join(missing)
            )
    return found
