"""A workspace shared by the window's UI thread and its worker thread: one transaction at a time, none lost."""

from __future__ import annotations

import threading

from liaison_app.workspace import Workspace


def test_transactions_from_two_threads_wait_for_each_other(workspace: Workspace) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def write(label: str) -> None:
        try:
            start.wait()
            for n in range(200):
                with workspace.transaction():
                    workspace.audit("test.write", f"{label}:{n}")
                    with workspace.transaction():  # nested: a savepoint of this thread's own transaction
                        workspace.audit("test.nested", f"{label}:{n}")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("ui", "worker")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert workspace.verify_audit_chain() == []
    targets = [r.target for r in workspace.audit_rows() if r.action == "test.write"]
    assert sorted(targets) == sorted(f"{label}:{n}" for label in ("ui", "worker") for n in range(200))
    assert not workspace.conn.in_transaction and workspace.conn.tx_depth == 0
