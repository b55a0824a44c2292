"""Fixtures for the hardening tests: a small real workspace with one packet built once per session, and the
identities (the liaison's and an impostor's with the same name and unit)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from liaison_app.packets.identity import Identity, create_identity, load_identity
from liaison_app.workspace import Workspace, copy_workspace

PASSWORD = "hardening-test"


@dataclass(frozen=True)
class Built:
    workspace: Path
    """A closed workspace with tasks, evidence and one packet already made (copy it before writing)."""
    packet: Path
    identity_file: Path
    identity: Identity
    impostor: Identity
    """Same name, unit and bureau as ``identity``; another key."""
    cert_pem: Path


def _task(ws: Workspace, content: str, seq: str) -> int:
    from tests.progress.helpers import Factory

    return Factory(ws).task(content, seq=seq)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    from liaison_app import evidence
    from liaison_app.packets.package import build_packet

    base = tmp_path_factory.mktemp("hardening")
    p12 = base / "张三.p12"
    create_identity(p12, name="张三", department="法制科", bureau="上海市松江区生态环境局", password=PASSWORD)
    identity = load_identity(p12, PASSWORD)
    create_identity(
        base / "冒名.p12",
        name="张三",
        department="法制科",
        bureau="上海市松江区生态环境局",
        password=PASSWORD,
    )
    impostor = load_identity(base / "冒名.p12", PASSWORD)
    pem = base / "张三.pem"
    pem.write_bytes(identity.certificate_pem())
    root = base / "ws"
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        ws.set_setting("liaison", "张三")
        ws.set_setting("bureau", "上海市松江区生态环境局")
        tid = _task(ws, "推进一网通办事项办理", "1")
        ws.conn.execute("UPDATE sources SET year = 2023")
        src = base / "会议纪要.txt"
        src.write_text("5 月专题会议纪要\n" * 50, encoding="utf-8")
        evidence.attach(ws, src, links=[("task", tid)], evidence_date="2023-05-08")
        result = build_packet(ws, period="2023", identity=identity, out_dir=base / "out")
    return Built(
        workspace=root,
        packet=result.path,
        identity_file=p12,
        identity=identity,
        impostor=impostor,
        cert_pem=pem,
    )


@pytest.fixture
def packet(built: Built, tmp_path: Path) -> Path:
    copy = tmp_path / built.packet.name
    shutil.copy2(built.packet, copy)
    return copy


@pytest.fixture
def built_workspace(built: Built, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    copy_workspace(built.workspace, root)
    return root
