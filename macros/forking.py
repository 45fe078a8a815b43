"""Whether the build may hand part of its work to a forked second process."""

import os
import threading


def second_process_helps() -> bool:
    """Forking is safe only while this process runs no other thread (make serve's rebuild,
    the tests' servers), and it gains only where there is a second core."""
    return threading.active_count() == 1 and (os.cpu_count() or 1) >= 2
