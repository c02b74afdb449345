#!/usr/bin/python3
"""Closes an X11 window as a user does, by its title: waits for a mapped top-level window whose title
contains TITLE and whose content has been painted, then sends it WM_DELETE_WINDOW (what a window
manager's close button sends). Needs no window manager, so it works under a bare Xvfb. Run by Debian's
python3 (python3-xlib comes from apt).

Why wait for paint: tao (under Tauri) shows a window before its event loop has wired the window's
"delete-event" handler, so a close that arrives in that first moment is dropped and the window stays.
A user clicks close on a window they can see drawn; so does this check.

    close_window.py TITLE [TIMEOUT_SECONDS]

Exits 0 once the window is gone, 1 when no such window appeared within the timeout or it ignored three
close requests (a second or third request prints a warning).
"""
import sys
import time

from Xlib import X, display, protocol


def title_of(disp, window):
    for name in ("_NET_WM_NAME", "WM_NAME"):
        try:
            prop = window.get_full_property(disp.intern_atom(name), X.AnyPropertyType)
        except Exception:  # the window went away meanwhile
            return ""
        if prop and prop.value:
            value = prop.value
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return ""


def find(disp, title):
    """The mapped windows (any depth) whose title contains `title`."""
    found, stack = [], [disp.screen().root]
    while stack:
        window = stack.pop()
        try:
            children = window.query_tree().children
        except Exception:
            continue
        for child in children:
            stack.append(child)
            try:
                mapped = child.get_attributes().map_state == X.IsViewable
            except Exception:
                continue
            if mapped and title in title_of(disp, child):
                found.append(child)
    return found


def painted(window):
    """Whether the window shows more than a blank fill: a few distinct colours in a sparse sample."""
    try:
        geometry = window.get_geometry()
        width, height = geometry.width, geometry.height
        image = window.get_image(0, 0, width, height, X.ZPixmap, 0xFFFFFFFF)
    except Exception:  # not viewable yet, or gone
        return False
    data, stride = image.data, len(image.data) // max(height, 1)
    colours = set()
    for y in range(0, height, 16):
        row = y * stride
        for x in range(0, width, 16):
            colours.add(bytes(data[row + 4 * x : row + 4 * x + 3]))
            if len(colours) >= 4:
                return True
    return False


def send_close(disp, windows):
    """Sends WM_DELETE_WINDOW to each window, as a window manager's close button does."""
    protocols = disp.intern_atom("WM_PROTOCOLS")
    delete = disp.intern_atom("WM_DELETE_WINDOW")
    for window in windows:
        event = protocol.event.ClientMessage(
            window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
        )
        window.send_event(event, event_mask=X.NoEventMask)
    disp.flush()


def main():
    title = sys.argv[1]
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    disp = display.Display()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        windows = [w for w in find(disp, title) if painted(w)]
        if windows:
            # A close can still be lost while the desk starts (seen under load): like a user, click again
            # if the window is still there after 10 s, and say so, so the lost click stays visible.
            for attempt in range(1, 4):
                send_close(disp, windows)
                gone = time.monotonic() + 10
                while time.monotonic() < gone and find(disp, title):
                    time.sleep(0.2)
                if not find(disp, title):
                    if attempt > 1:
                        print(f"WARNING: the window needed {attempt} close requests", file=sys.stderr)
                    print(f"closed {len(windows)} window(s) titled {title!r}")
                    return 0
                windows = find(disp, title)
            print(f"the window titled {title!r} ignored 3 close requests", file=sys.stderr)
            return 1
        time.sleep(0.5)
    print(f"no window titled {title!r} appeared and was painted within {timeout:.0f} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
