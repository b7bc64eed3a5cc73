"""Per-customer running totals, kept in one JSON file: {"totals": {"<customer>": <number>}}.

A file that is there but unreadable is refused (exit 3) rather than replaced: scoring on top of
wrong totals would be worse than not scoring, and the on-call fix (move the file aside) is one
command that a runbook can name.
"""
import json
import os
import sys
import time

CORRUPT_EXIT = 3
SAVE_EVERY_S = 0.5


def load_or_exit(path, log):
    if not os.path.exists(path):
        return {}
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
        totals = data["totals"] if isinstance(data, dict) else None
        if not isinstance(totals, dict):
            raise ValueError('no "totals" object')
        for customer, total in totals.items():
            if isinstance(total, bool) or not isinstance(total, (int, float)):
                raise ValueError(f"total of {customer!r} is not a number")
        return totals
    except (OSError, ValueError, KeyError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        log(f"state file {path} is unreadable ({e}); refusing to start - move it aside to start from empty totals")
        sys.exit(CORRUPT_EXIT)


class Saver:
    """Writes at most every SAVE_EVERY_S while totals change, and on demand; always whole files."""

    def __init__(self, path, totals):
        self.path, self.totals = path, totals
        self.dirty, self.last = False, 0.0

    def changed(self):
        self.dirty = True

    def maybe_save(self):
        if self.dirty and time.monotonic() - self.last >= SAVE_EVERY_S:
            self.save()

    def save(self):
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        tmp = f"{self.path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"totals": self.totals, "savedAt": time.time()}, f)
            f.flush()
            os.fsync(f.fileno())  # a kill or power cut leaves the old file or the new one, never half
        os.replace(tmp, self.path)
        self.dirty, self.last = False, time.monotonic()
